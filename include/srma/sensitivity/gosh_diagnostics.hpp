// File: srma/sensitivity/gosh_diagnostics.hpp
//
// GOSH diagnostics (as dmetar's gosh.diagnostics, Harrer et al. 2019): the (estimate, I^2) points
// of the GOSH subsets are clustered three ways -- k-means (Lloyd's algorithm, k-means++ starts),
// DBSCAN (Ester et al. 1996) and a Gaussian mixture fitted by EM -- on z-scores of both
// coordinates, and each study's presence is compared between clusters: a cluster in which the
// share of subsets containing a study differs from its share over all subsets by at least
// `flag_difference` (default 0.3, i.e. 30 percentage points) points to that study as driving the
// cluster. A study is flagged overall when at least two of the three methods flag it.
//
// The points are the streamed sample of srma/sensitivity/gosh_stream.hpp (every fit for small k,
// else a uniform random sample of 10^5 fits, a standard shortcut: the clusters of 10^9 points are
// found as well from 10^5 of them). The clustering itself runs on at most `max_points` of them
// (evenly spaced); the others, and any (estimate, I^2) position such as a histogram cell, get
// the cluster assign() gives: nearest centre (k-means), largest posterior (mixture), the cluster
// of a core point within eps, else noise (DBSCAN).
//
// Example:
//
//   auto s = srma::gosh_stream(yi, vi, opts);
//   auto d = srma::diagnose_gosh(s->sample, s->k);
//   for (auto i : d->flagged) fmt::print("study {} drives a cluster\n", i + 1);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/util/expected.hpp"

namespace srma {

enum class gosh_cluster_method { kmeans, dbscan, gmm };

/// "kmeans", "dbscan", "gmm".
[[nodiscard]] std::string_view to_string(gosh_cluster_method m);
/// The inverse of to_string (case-insensitive); nullopt for anything else.
[[nodiscard]] std::optional<gosh_cluster_method> parse_gosh_cluster_method(std::string_view s);

struct gosh_diagnostics_options {
  std::size_t kmeans_clusters = 3;    ///< dmetar's km.centers.
  double dbscan_eps = 0.15;           ///< Neighbourhood radius in z units (dmetar's db.eps).
  std::size_t dbscan_min_points = 5;  ///< Core point: this many points within eps, itself included.
  std::size_t gmm_components = 2;     ///< dmetar's gmm.nr.clusters.
  std::size_t max_points = 20'000;    ///< Points clustered; the rest are assigned.
  double flag_difference = 0.3;       ///< Share difference that flags a study in a cluster.
  double min_cluster_share = 0.05;    ///< Smaller clusters flag nothing.
  std::uint64_t seed = 1;             ///< k-means++ starts.

  /// "" when usable, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

struct gosh_cluster {
  std::size_t points = 0;
  double mean_estimate = 0, mean_I2 = 0;
  std::vector<double> share;  ///< Per study: share of the cluster's subsets that contain it.
};

/// One clustering of the sample and the model that assigns new points.
struct gosh_clustering {
  gosh_cluster_method method = gosh_cluster_method::kmeans;
  std::vector<int> label;  ///< Per sample point: cluster number from 0, -1 for DBSCAN's noise.
  std::vector<gosh_cluster> clusters;
  std::size_t noise = 0;
  /// Per study: the largest |share in a cluster - share overall| over clusters holding at least
  /// min_cluster_share of the points.
  std::vector<double> difference;
  std::vector<std::size_t> flagged;  ///< Studies (0-based) with difference >= flag_difference.

  /// The cluster of a point (analysis-scale estimate, I^2 in percent); -1: noise.
  [[nodiscard]] int assign(double estimate, double I2) const;

  // The fitted model (z units), read by assign().
  double centre_e = 0, scale_e = 1, centre_i = 0, scale_i = 1;
  std::vector<double> cx, cy;   ///< k-means centres, mixture means, DBSCAN core points.
  std::vector<int> core_label;  ///< DBSCAN: cluster of each core point.
  std::vector<double> weight, sxx, sxy, syy;  ///< Mixture weights and covariances.
  double eps = 0;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grid;  ///< DBSCAN cells of eps.
};

struct gosh_diagnostics {
  std::size_t points = 0;     ///< Sample points labelled.
  std::size_t clustered = 0;  ///< Of which clustered (the others assigned).
  bool complete = false;      ///< The sample held every fitted subset.
  std::vector<double> share;  ///< Per study: share of all points whose subset contains it.
  gosh_clustering kmeans, dbscan, gmm;
  std::vector<std::size_t> flagged;  ///< Flagged by at least two methods.
  std::vector<std::string> notes;

  [[nodiscard]] const gosh_clustering& by(gosh_cluster_method m) const;
};

/// Clusters the sample and flags studies. Errors: srma.model.E300 (options; fewer points than
/// clusters).
[[nodiscard]] expected<gosh_diagnostics> diagnose_gosh(const gosh_sample& sample, std::size_t k,
                                                       const gosh_diagnostics_options& o = {});

/// Lloyd's k-means from the given starting centres, as R's kmeans(algorithm = "Lloyd"): assign
/// each point to the nearest centre (the first on ties), move each centre to its points' mean,
/// until no assignment changes or max_iter passes. Returns the labels; the centres are updated.
/// A centre that loses all its points stays where it was.
[[nodiscard]] std::vector<int> kmeans_lloyd(std::span<const double> x, std::span<const double> y,
                                            std::vector<double>& cx, std::vector<double>& cy,
                                            int max_iter = 100, int* iterations = nullptr);

}  // namespace srma
