// Mantel-Haenszel and Peto pooling of 2x2 tables into a pool_result (srma/model/pool_2x2.hpp).
#include "srma/model/pool_2x2.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model_choice.hpp"
#include "srma/model/mantel_haenszel.hpp"
#include "srma/model/peto.hpp"
#include "srma/model/pool.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<const char*, 4> k_count_columns = {"events_t", "n_t", "events_c", "n_c"};

struct counts {
  std::vector<double> events_t, n_t, events_c, n_c;
};

// The four count columns of a 2x2 table, read back from the attributes the study table keeps
// (they were checked as whole numbers when the table was read).
std::optional<counts> counts_of(const study_table& studies) {
  counts c;
  std::array<std::vector<double>*, 4> out = {&c.events_t, &c.n_t, &c.events_c, &c.n_c};
  for (std::size_t j = 0; j < k_count_columns.size(); ++j) {
    const int a = studies.attribute_index(k_count_columns[j]);
    if (a < 0) return std::nullopt;
    const auto& column = studies.attributes[static_cast<std::size_t>(a)];
    if (column.size() != studies.k()) return std::nullopt;
    for (const auto& text : column) {
      auto v = detail::parse_double(text);
      if (!v) v = detail::parse_double(text, true);
      if (!v) return std::nullopt;
      out[j]->push_back(*v);
    }
  }
  return c;
}

bool mh_measure(effect_measure m) {
  return m == effect_measure::odds_ratio || m == effect_measure::risk_ratio ||
         m == effect_measure::risk_difference;
}

// DerSimonian-Laird tau^2 from a heterogeneity statistic Q about some common estimate and the
// inverse-variance weights of the studies in it: max(0, (Q - df) / (sum w - sum w^2 / sum w)).
double dl_tau2(double Q, double df, std::span<const double> w) {
  if (!(df >= 1) || std::isnan(Q)) return 0;
  double sw = 0, sw2 = 0;
  for (double x : w) {
    sw += x;
    sw2 += x * x;
  }
  return std::max(0.0, (Q - df) / (sw - sw2 / sw));
}

void set_heterogeneity(pool_result& r, double Q, double df, double p, double I2, double H2) {
  r.heterogeneity.Q = Q;
  r.heterogeneity.df = df;
  r.heterogeneity.p = p;
  r.heterogeneity.I2 = I2;
  r.heterogeneity.H2 = H2;
}

error not_2x2(const study_table& studies, std::string message) {
  error e{errc::input_measure_mismatch, std::move(message), {studies.source, 0, 0}, ""};
  return e;
}

}  // namespace

study_table informative_for_peto(const study_table& studies) {
  const auto c = counts_of(studies);
  if (studies.kind != input_kind::two_by_two || !c) return studies;
  std::vector<std::size_t> rows;
  std::vector<excluded_study> dropped;
  for (std::size_t i = 0; i < studies.k(); ++i) {
    const double events = c->events_t[i] + c->events_c[i];
    const double n = c->n_t[i] + c->n_c[i];
    if (events > 0 && events < n) {
      rows.push_back(i);
    } else {
      dropped.push_back({studies.study[i], studies.line.empty() ? 0 : studies.line[i],
                         events == 0 ? "no events in either group: no information for Peto's "
                                       "odds ratio (V = 0)"
                                     : "events in every patient of both groups: no information "
                                       "for Peto's odds ratio (V = 0)"});
    }
  }
  if (dropped.empty()) return studies;
  study_table out = studies.subset(rows);
  out.excluded = studies.excluded;
  for (auto& d : dropped) out.excluded.push_back(std::move(d));
  return out;
}

bool has_2x2_counts(const study_table& studies) {
  return studies.kind == input_kind::two_by_two && mh_measure(studies.measure) &&
         counts_of(studies).has_value();
}

expected<pool_result> pool_2x2(const study_table& studies, const pool_options& options) {
  if (options.method == pooling_method::inverse_variance) return pool(studies, options);
  const bool peto = options.method == pooling_method::peto;
  const auto name = peto ? "Peto's method" : "the Mantel-Haenszel method";
  if (studies.kind != input_kind::two_by_two) {
    return unexpected(not_2x2(
        studies, fmt::format("{} pools 2x2 tables (events_t, n_t, events_c, n_c); the input "
                             "gives {}",
                             name, input_kind_columns(studies.kind))));
  }
  if (peto ? studies.measure != effect_measure::odds_ratio : !mh_measure(studies.measure)) {
    return unexpected(not_2x2(
        studies, fmt::format("{} pools {}, not the {}", name,
                             peto ? "odds ratios" : "odds ratios, risk ratios and risk differences",
                             measure_name(studies.measure))));
  }
  const auto c = counts_of(studies);
  if (!c) {
    return unexpected(
        not_2x2(studies, fmt::format("{} needs the counts events_t, n_t, events_c and n_c of "
                                     "every study",
                                     name)));
  }

  if (peto) {
    peto_options po;
    po.level = options.level;
    auto pr = pool_peto(c->events_t, c->n_t, c->events_c, c->n_c, po, studies.study);
    if (!pr) return unexpected(pr.error());
    // The studies as RevMan shows them under Peto: (O - E)/V with variance 1/V; a table
    // without information has no estimate ("not estimable") and is left out.
    std::vector<std::size_t> rows;
    std::vector<double> w;
    for (std::size_t i = 0; i < studies.k(); ++i) {
      if (pr->v[i] > 0) {
        rows.push_back(i);
        w.push_back(pr->v[i]);
      }
    }
    study_table shown = studies.subset(rows);
    for (std::size_t j = 0; j < rows.size(); ++j) {
      shown.yi[j] = pr->yi[rows[j]];
      shown.vi[j] = pr->vi[rows[j]];
    }
    std::optional<double> fixed;
    if (options.tau2 == tau2_method::dl) fixed = dl_tau2(pr->Q, pr->Q_df, w);
    auto r = pool_effects(shown.yi, shown.vi, options, studies.measure, fixed, true);
    if (!r) return r;
    r->study = shown.study;
    r->method = pooling_method::peto;
    r->common = pr->estimate;
    for (std::size_t j = 0; j < rows.size(); ++j) r->weight_common[j] = pr->weight[rows[j]];
    set_heterogeneity(*r, pr->Q, pr->Q_df, pr->Q_p, pr->I2, pr->H2);
    for (const auto& n : pr->notes) r->notes.push_back(n);
    detail::choose_model(*r, r->k);
    return r;
  }

  mh_options mo = options.counts == count_convention::revman5 ? mh_options_revman5(studies.measure)
                                                              : mh_options_metafor(studies.measure);
  mo.level = options.level;
  auto mh = pool_mantel_haenszel(c->events_t, c->n_t, c->events_c, c->n_c, mo, studies.study);
  if (!mh) return unexpected(mh.error());
  std::optional<double> fixed;
  if (options.tau2 == tau2_method::dl && options.counts == count_convention::revman5) {
    std::vector<double> w;
    for (std::size_t i = 0; i < studies.k(); ++i) {
      if (mh->in_q[i]) w.push_back(1 / mh->vi[i]);
    }
    fixed = dl_tau2(mh->Q, mh->Q_df, w);
  }
  auto r = pool_effects(studies.yi, studies.vi, options, studies.measure, fixed, true);
  if (!r) return r;
  r->study = studies.study;
  r->method = pooling_method::mantel_haenszel;
  r->common = mh->estimate;
  for (std::size_t i = 0; i < studies.k(); ++i) {
    r->weight_common[i] = std::isnan(mh->weight[i]) ? 0.0 : mh->weight[i];
  }
  set_heterogeneity(*r, mh->Q, mh->Q_df, mh->Q_p, mh->I2, mh->H2);
  if (studies.measure == effect_measure::odds_ratio) {
    r->cmh = mh->cmh;
    r->cmh_p = mh->cmh_p;
    r->tarone = mh->tarone;
    r->tarone_df = mh->tarone_df;
    r->tarone_p = mh->tarone_p;
  }
  for (const auto& n : mh->notes) r->notes.push_back(n);
  detail::choose_model(*r, r->k);
  return r;
}

}  // namespace srma
