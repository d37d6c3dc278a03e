// Text and JSON of a streamed GOSH analysis and its diagnostics (srma/report/gosh_report.hpp).
#include "srma/report/gosh_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/model/tau2.hpp"
#include "srma/report/format.hpp"
#include "text_table.hpp"

namespace srma {
namespace {

nlohmann::json num(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); }

nlohmann::json moments_json(const gosh_moments& m) {
  return {{"n", m.n},
          {"mean_estimate", num(m.mean_estimate)},
          {"sd_estimate", num(m.sd_estimate)},
          {"mean_I2", num(m.mean_I2)},
          {"sd_I2", num(m.sd_I2)}};
}

std::string label_of(std::span<const std::string> labels, std::size_t i) {
  return i < labels.size() ? labels[i] : fmt::format("study {}", i + 1);
}

std::string join_labels(const std::vector<std::size_t>& idx, std::span<const std::string> labels) {
  std::string out;
  for (std::size_t j = 0; j < idx.size(); ++j) {
    if (j > 0) out += j + 1 == idx.size() ? " and " : ", ";
    out += label_of(labels, idx[j]);
  }
  return out;
}

std::string count(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

}  // namespace

nlohmann::json to_json(const gosh_summary& s, const gosh_diagnostics* d,
                       std::span<const std::string> labels) {
  nlohmann::json j;
  j["k"] = s.k;
  j["exact"] = s.exact;
  j["model"] = std::string(to_string(s.model));
  j["tau2_method"] =
      s.model == model_kind::common ? nlohmann::json() : nlohmann::json(tau2_method_code(s.method));
  j["subsets"] = s.subsets;
  j["done"] = s.done;
  j["fitted"] = s.fitted();
  j["failed"] = s.failed;
  j["fell_back"] = s.fell_back;
  j["interrupted"] = s.interrupted;
  j["estimate"] = {{"min", num(s.estimate_min)},
                   {"max", num(s.estimate_max)},
                   {"mean", num(s.all.mean_estimate)},
                   {"sd", num(s.all.sd_estimate)}};
  j["I2"] = {{"min", num(s.I2_min)},
             {"max", num(s.I2_max)},
             {"mean", num(s.all.mean_I2)},
             {"sd", num(s.all.sd_I2)}};
  const auto& h = s.histogram;
  std::vector<std::uint64_t> ex(h.nx, 0), iy(h.ny, 0);
  for (std::size_t y = 0; y < h.ny; ++y) {
    for (std::size_t x = 0; x < h.nx; ++x) {
      ex[x] += h.count[y * h.nx + x];
      iy[y] += h.count[y * h.nx + x];
    }
  }
  j["histogram"] = {{"x_lo", h.x_lo}, {"x_hi", h.x_hi},        {"nx", h.nx},
                    {"ny", h.ny},     {"estimate_counts", ex}, {"I2_counts", iy}};
  auto studies = nlohmann::json::array();
  for (std::size_t i = 0; i < s.studies.size(); ++i) {
    const auto& st = s.studies[i];
    studies.push_back(
        {{"study", label_of(labels, i)},
         {"with", moments_json(st.with)},
         {"without", moments_json(st.without)},
         {"difference_estimate", num(st.with.mean_estimate - st.without.mean_estimate)},
         {"difference_I2", num(st.with.mean_I2 - st.without.mean_I2)}});
  }
  j["studies"] = std::move(studies);
  if (d) {
    nlohmann::json dj;
    dj["points"] = d->points;
    dj["clustered"] = d->clustered;
    dj["complete"] = d->complete;
    auto names = [&](const std::vector<std::size_t>& v) {
      auto a = nlohmann::json::array();
      for (auto i : v) a.push_back(label_of(labels, i));
      return a;
    };
    dj["flagged"] = names(d->flagged);
    auto methods = nlohmann::json::array();
    for (const auto* c : {&d->kmeans, &d->dbscan, &d->gmm}) {
      auto clusters = nlohmann::json::array();
      for (const auto& cl : c->clusters) {
        clusters.push_back({{"points", cl.points},
                            {"mean_estimate", num(cl.mean_estimate)},
                            {"mean_I2", num(cl.mean_I2)},
                            {"share", cl.share}});
      }
      methods.push_back({{"method", std::string(to_string(c->method))},
                         {"clusters", std::move(clusters)},
                         {"noise", c->noise},
                         {"difference", c->difference},
                         {"flagged", names(c->flagged)}});
    }
    dj["methods"] = std::move(methods);
    dj["notes"] = d->notes;
    j["diagnostics"] = std::move(dj);
  }
  j["notes"] = s.notes;
  return j;
}

std::string diagnostics_sentence(const gosh_diagnostics& d, std::span<const std::string> labels,
                                 double flag_difference) {
  const auto pp = static_cast<int>(std::lround(flag_difference * 100));
  if (d.flagged.empty()) {
    return fmt::format(
        "The cluster diagnostics (k-means, DBSCAN, Gaussian mixture) flag no study: no study's "
        "share of subsets differs by {} percentage points or more between clusters in at least "
        "two of the three methods.",
        pp);
  }
  return fmt::format(
      "The cluster diagnostics (k-means, DBSCAN, Gaussian mixture) flag {}: the share of subsets "
      "containing {} differs by at least {} percentage points between a cluster and all subsets "
      "in at least two of the three methods.",
      join_labels(d.flagged, labels), d.flagged.size() == 1 ? "it" : "each", pp);
}

std::string full_report(const gosh_summary& s, const gosh_diagnostics* d,
                        std::span<const std::string> labels, effect_measure measure) {
  std::string out;
  const std::string model = s.model == model_kind::common ? std::string("common-effect model")
                                                          : fmt::format("random-effects model, {}",
                                                                        tau2_method_code(s.method));
  out += fmt::format("GOSH: {} {} subsets of {} studies ({}).\n",
                     s.exact ? "all" : "a random sample of", count(s.subsets), s.k, model);
  if (s.interrupted) {
    out += fmt::format("Interrupted after {} of {} subsets: the numbers below cover those.\n",
                       count(s.done), count(s.subsets));
  }
  if (s.failed > 0) out += fmt::format("{} fits failed and are left out.\n", count(s.failed));
  const bool ratio = is_ratio(measure);
  auto eff = [&](double y) { return ratio ? format_effect(measure, y) : format_fixed(y, 4); };
  out += fmt::format(
      "Pooled {}: {} to {} (mean {}, SD {} on the analysis scale); I\u00b2: {} to {} (mean {}, "
      "SD {}).\n",
      measure == effect_measure::generic ? std::string("estimate")
                                         : std::string(measure_name(measure)),
      eff(s.estimate_min), eff(s.estimate_max), eff(s.all.mean_estimate),
      format_fixed(s.all.sd_estimate, 4), format_percent(s.I2_min, 0), format_percent(s.I2_max, 0),
      format_percent(s.all.mean_I2, 1), format_fixed(s.all.sd_I2, 1));
  out += "\nSubsets with and without each study (mean estimate and mean I\u00b2):\n";
  using al = detail::text_table::align;
  detail::text_table t(
      {al::left, al::right, al::right, al::right, al::right, al::right, al::right});
  t.add_row({"study", "with", "without", ratio ? "difference (log)" : "difference", "I\u00b2 with",
             "I\u00b2 without", "difference"});
  t.add_rule();
  for (std::size_t i = 0; i < s.studies.size(); ++i) {
    const auto& st = s.studies[i];
    t.add_row({label_of(labels, i), eff(st.with.mean_estimate), eff(st.without.mean_estimate),
               format_fixed(st.with.mean_estimate - st.without.mean_estimate, 4),
               format_percent(st.with.mean_I2, 1), format_percent(st.without.mean_I2, 1),
               format_fixed(st.with.mean_I2 - st.without.mean_I2, 1)});
  }
  out += t.render("  ");
  if (d) {
    out += fmt::format("\nCluster diagnostics on {} {} (z-scores of estimate and I\u00b2):\n",
                       count(d->points),
                       d->complete ? "fitted subsets (all)" : "fitted subsets sampled at random");
    for (const auto* c : {&d->kmeans, &d->dbscan, &d->gmm}) {
      std::string line = fmt::format("  {}: {} cluster{}", cluster_method_title(c->method),
                                     c->clusters.size(), c->clusters.size() == 1 ? "" : "s");
      if (c->method == gosh_cluster_method::dbscan)
        line += fmt::format(" ({} noise)", count(c->noise));
      std::vector<std::string> parts;
      for (const auto& cl : c->clusters) {
        parts.push_back(fmt::format("{} (mean estimate {}, I\u00b2 {})", count(cl.points),
                                    eff(cl.mean_estimate), format_percent(cl.mean_I2, 0)));
      }
      if (!parts.empty()) line += fmt::format(": {}", fmt::join(parts, "; "));
      line += fmt::format(". Flags: {}.\n", c->flagged.empty() ? std::string("none")
                                                               : join_labels(c->flagged, labels));
      out += line;
    }
    out += diagnostics_sentence(*d, labels) + "\n";
    for (const auto& n : d->notes) out += fmt::format("Note: {}.\n", n);
  }
  for (const auto& n : s.notes) out += fmt::format("Note: {}\n", n);
  return out;
}

std::string cluster_method_title(gosh_cluster_method m) {
  switch (m) {
    case gosh_cluster_method::kmeans:
      return "k-means";
    case gosh_cluster_method::dbscan:
      return "DBSCAN";
    case gosh_cluster_method::gmm:
      return "Gaussian mixture";
  }
  return "";
}

}  // namespace srma
