// All small-study tests for a study table around the model the full analysis leads with:
// Egger (classical and mixed), Peters (when sample sizes exist), Begg, trim-and-fill and fail-safe
// N, with the Cochrane Handbook's warning below 10 studies.
#include "srma/bias/small_study_bias.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {

std::string bias_options::validate() const {
  if (!(alpha > 0 && alpha < 1)) return fmt::format("alpha is {}, but must be in (0, 1)", alpha);
  return {};
}

expected<bias_result> small_study_bias(const study_table& studies, const pool_options& options,
                                       const bias_options& bias) {
  if (auto msg = bias.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  const std::size_t k = studies.k();
  if (k < 3) {
    return fail(errc::model_too_few_studies,
                fmt::format("tests for small-study effects need at least 3 studies (k = {})", k));
  }
  auto full = pool(studies, options);
  if (!full) return unexpected(full.error());
  bias_result out;
  out.k = k;
  out.model = full->primary;
  out.full = std::move(*full);
  // Every test uses the model the analysis leads with.
  pool_options o = options;
  o.model = out.model == model_kind::common ? model_choice::common : model_choice::random;
  if (k < 10) {
    out.warnings.push_back(fmt::format(
        "only {} studies: tests for funnel-plot asymmetry have low power with fewer than 10 "
        "(Cochrane Handbook, section 13.3.5.4); interpret them with caution",
        k));
  }
  auto egger = egger_test(studies.yi, studies.vi, o, false);
  if (!egger) return unexpected(egger.error());
  out.egger = *egger;
  auto mixed = egger_test(studies.yi, studies.vi, o, true);
  if (!mixed) return unexpected(mixed.error());
  out.egger_mixed = *mixed;
  std::vector<double> n;
  if (!bias.sample_size_column.empty()) {
    const int a = studies.attribute_index(bias.sample_size_column);
    if (a < 0) {
      return fail(errc::input_bad_moderator,
                  fmt::format("no sample-size column '{}'", bias.sample_size_column),
                  {studies.source, 0, 0});
    }
    for (std::size_t i = 0; i < k; ++i) {
      auto v = detail::parse_double(studies.attributes[a][i]);
      if (!v || !(*v > 0)) {
        return fail(errc::input_bad_moderator,
                    fmt::format("study '{}': sample size '{}' is not a number > 0",
                                studies.study[i], studies.attributes[a][i]),
                    {studies.source, studies.line[i], studies.attribute_columns[a]});
      }
      n.push_back(*v);
    }
  } else {
    n = studies.sample_size;
  }
  if (n.size() == k) {
    auto peters = peters_test(studies.yi, studies.vi, n, o, false);
    if (!peters) return unexpected(peters.error());
    out.peters = *peters;
  }
  auto begg = begg_test(studies.yi, studies.vi);
  if (!begg) return unexpected(begg.error());
  out.begg = *begg;
  // Trim-and-fill's side by metafor's rule, the sign of the slope of the mixed-effects Egger
  // regression, which was just fitted: passed on, so trim_and_fill does not fit it again (the
  // slope does not depend on the CI method; that fit was a third of this function's time).
  std::optional<funnel_side> side = bias.side;
  if (!side) side = out.egger_mixed.bias < 0 ? funnel_side::right : funnel_side::left;
  auto tf = trim_and_fill(studies.yi, studies.vi, o, bias.estimator, side);
  if (!tf) return unexpected(tf.error());
  out.trimfill = *tf;
  auto fsn = failsafe_n(studies.yi, studies.vi, bias.alpha);
  if (!fsn) return unexpected(fsn.error());
  out.failsafe = *fsn;
  return out;
}

}  // namespace srma
