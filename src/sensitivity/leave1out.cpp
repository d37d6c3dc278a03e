// Leave-one-out analysis (metafor's leave1out.rma.uni; leave1out.rma.mh and .rma.peto when the
// analysis pools 2x2 tables by Mantel-Haenszel or Peto): k refits, run in parallel for large k.
// A refit that fails gives its row NaN with a note (metafor: NA), never an error.
#include "srma/sensitivity/leave1out.hpp"

#include <fmt/format.h>

#include "loo_fast.hpp"
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
  auto full = detail::full_fit(studies, options);
  const bool tables = detail::pools_tables(studies, options);
  if (!full) return unexpected(full.error());
  leave1out_result out;
  out.model = detail::refit_model(*full);
  out.full = std::move(*full);
  out.rows.resize(k);
  std::vector<std::optional<error>> errors(k);
  // The fits without one study from updated sums where that is exact (loo_fast.hpp); a study it
  // declines gets the plain refit. Mantel-Haenszel and Peto refits are always plain.
  std::optional<detail::loo_fitter> fitter;
  if (!tables) {
    fitter.emplace(studies.yi, studies.vi, options, out.model,
                   out.model == model_kind::random ? out.full.heterogeneity.tau2 : 0.0);
  }
  // Threads pay off for plain refits from 64 studies, for the fits from sums (a few microseconds
  // each below a thousand studies) only from a thousand.
  const std::size_t min_parallel = fitter && fitter->usable() ? 1000 : 64;
  detail::parallel_for(
      k,
      [&](std::size_t i) {
        if (fitter && fitter->usable()) {
          if (auto f = fitter->fit(i)) {
            out.rows[i] = detail::summary_of(*f, k - 1, options.tau2, out.model);
            out.rows[i].label = studies.study[i];
            return;
          }
        }
        std::vector<double> y, v;
        auto r = [&]() -> expected<refit_summary> {
          if (tables) {
            std::vector<std::size_t> rows;
            for (std::size_t j = 0; j < k; ++j)
              if (j != i) rows.push_back(j);
            return detail::refit_tables(studies, rows, options, out.model);
          }
          detail::all_but(studies.yi, studies.vi, i, y, v);
          return detail::refit(y, v, options, out.model);
        }();
        if (r) {
          out.rows[i] = std::move(*r);
        } else {
          errors[i] = r.error();
          out.rows[i] = detail::failed_refit(k - 1);
        }
        out.rows[i].label = studies.study[i];
      },
      min_parallel);
  for (std::size_t i = 0; i < k; ++i) {
    const auto& row = out.rows[i];
    if (!row.fitted) ++out.failed;
    const bool fell_back =
        row.fitted && out.model == model_kind::random && row.method != options.tau2;
    if (auto n = detail::refit_note(fmt::format("without '{}' (row {})", row.label, i + 1),
                                    errors[i], fell_back, row.notes)) {
      out.notes.push_back(std::move(*n));
    }
  }
  return out;
}

}  // namespace srma
