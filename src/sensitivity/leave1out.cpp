// Leave-one-out analysis (metafor's leave1out.rma.uni): k refits, run in parallel for large k.
#include "srma/sensitivity/leave1out.hpp"

#include <fmt/format.h>

#include "refit.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {

expected<leave1out_result> leave1out(const study_table& studies, const pool_options& options) {
  const std::size_t k = studies.k();
  if (k < 2) {
    return fail(errc::model_too_few_studies,
                fmt::format("leave-one-out needs at least 2 studies (k = {})", k));
  }
  auto full = pool(studies, options);
  if (!full) return unexpected(full.error());
  leave1out_result out;
  out.model = detail::refit_model(*full);
  out.full = std::move(*full);
  out.rows.resize(k);
  std::vector<std::optional<error>> errors(k);
  detail::parallel_for(k, [&](std::size_t i) {
    std::vector<double> y, v;
    detail::all_but(studies.yi, studies.vi, i, y, v);
    auto r = detail::refit(y, v, options, out.model);
    if (!r) {
      errors[i] = r.error();
      return;
    }
    out.rows[i] = std::move(*r);
    out.rows[i].label = studies.study[i];
  });
  for (auto& e : errors)
    if (e) return unexpected(std::move(*e));
  return out;
}

}  // namespace srma
