// Greedy label placement on rings of growing distance around each point. Points, placed labels
// and leaders sit in grids of buckets, so that each candidate box is tested only against what is
// near it: O(k) tests per order instead of O(k^2).
#include "label_placer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <tuple>

#include "chart.hpp"

namespace srma::detail {

using plot::point;
using plot::rect;

namespace {

rect marker_box(const label_target& t) {
  return {t.at.x - t.radius, t.at.y - t.radius, 2 * t.radius, 2 * t.radius};
}

// True when segments p-q and a-b cross (touching ends do not count).
bool segments_cross(point p, point q, point a, point b) {
  auto side = [](point o, point u, point v) {
    return (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x);
  };
  const double d1 = side(a, b, p), d2 = side(a, b, q), d3 = side(p, q, a), d4 = side(p, q, b);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

// Distance from a point to the nearest point of a box (0 inside it).
double distance(const rect& r, point p) {
  const double dx = std::max({r.x - p.x, 0.0, p.x - r.right()});
  const double dy = std::max({r.y - p.y, 0.0, p.y - r.bottom()});
  return std::hypot(dx, dy);
}

bool inside(const rect& inner, const rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.right() <= outer.right() &&
         inner.bottom() <= outer.bottom();
}

// Directions tried on each ring, preferred first: right, left, the diagonals, above, below.
std::vector<double> ring_angles(std::size_t ring) {
  constexpr double pi = std::numbers::pi;
  if (ring == 0) {
    return {0, pi, -pi / 4, -3 * pi / 4, pi / 4, 3 * pi / 4, -pi / 2, pi / 2};
  }
  std::vector<double> a;
  for (int i = 0; i < 16; ++i) a.push_back(static_cast<double>(i) * pi / 8);
  std::stable_sort(a.begin(), a.end(), [](double x, double y) {
    // Horizontal neighbours read best; vertical ones last.
    return std::abs(std::cos(x)) > std::abs(std::cos(y)) + 1e-9;
  });
  return a;
}

// The bounding box of a segment.
rect segment_box(point a, point b) {
  const double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  return {x0, y0, std::max(a.x, b.x) - x0, std::max(a.y, b.y) - y0};
}

rect grown(const rect& r, double by) {
  return {r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by};
}

// A uniform grid of buckets over the panel (issue 15 item 4: placing 800 labels took a minute
// when every candidate box was tested against every point, label and leader). Each item is
// listed in every cell its box touches; a query visits the items listed in the cells a box
// touches, so only nearby items are tested. Coordinates outside the grid fall into its edge
// cells (clamping keeps overlapping intervals overlapping), so nothing is ever missed: the grid
// only chooses which items to test, the tests themselves are unchanged.
class box_grid {
 public:
  box_grid(const rect& bounds, double cell, std::size_t items) : bounds_(bounds) {
    const double w = std::isfinite(bounds.width) ? std::max(bounds.width, 0.0) : 0;
    const double h = std::isfinite(bounds.height) ? std::max(bounds.height, 0.0) : 0;
    // Cells about `cell` wide, but never more cells than a few per item.
    const double max_cells = 4.0 * static_cast<double>(items) + 64;
    cell_ = std::isfinite(cell) ? std::max(cell, 1e-3) : 1;
    while ((w / cell_ + 1) * (h / cell_ + 1) > max_cells) cell_ *= 2;
    nx_ = static_cast<std::size_t>(w / cell_) + 1;
    ny_ = static_cast<std::size_t>(h / cell_) + 1;
    cells_.resize(nx_ * ny_);
  }

  void insert(std::size_t id, const rect& r) {
    const auto [x0, x1] = range(r.x, r.right(), bounds_.x, nx_);
    const auto [y0, y1] = range(r.y, r.bottom(), bounds_.y, ny_);
    for (std::size_t y = y0; y <= y1; ++y) {
      for (std::size_t x = x0; x <= x1; ++x) cells_[y * nx_ + x].push_back(id);
    }
  }

  // True when `test(id)` holds for an item listed in a cell that `q` touches. An item spanning
  // several cells may be tested more than once.
  template <class Test>
  bool any(const rect& q, Test&& test) const {
    const auto [x0, x1] = range(q.x, q.right(), bounds_.x, nx_);
    const auto [y0, y1] = range(q.y, q.bottom(), bounds_.y, ny_);
    for (std::size_t y = y0; y <= y1; ++y) {
      for (std::size_t x = x0; x <= x1; ++x) {
        for (std::size_t id : cells_[y * nx_ + x]) {
          if (test(id)) return true;
        }
      }
    }
    return false;
  }

  // As any(), for the items listed in the cells within `margin` (in x and in y) of segment a-b:
  // row by row of cells, only the cells the segment passes near, not its whole bounding box
  // (a long diagonal leader's box covers a hundred times more cells).
  template <class Test>
  bool any_near(point a, point b, double margin, Test&& test) const {
    const auto [y0, y1] =
        range(std::min(a.y, b.y) - margin, std::max(a.y, b.y) + margin, bounds_.y, ny_);
    for (std::size_t y = y0; y <= y1; ++y) {
      // The part of the segment within `margin` of this row (the edge rows reach out to
      // infinity, as clamping puts everything beyond the grid into them).
      const double lo = y == 0 ? -1e300 : bounds_.y + static_cast<double>(y) * cell_ - margin;
      const double hi =
          y + 1 == ny_ ? 1e300 : bounds_.y + static_cast<double>(y + 1) * cell_ + margin;
      double t0 = 0, t1 = 1;
      if (a.y == b.y) {
        if (a.y < lo || a.y > hi) continue;
      } else {
        const double ta = (lo - a.y) / (b.y - a.y), tb = (hi - a.y) / (b.y - a.y);
        t0 = std::max(0.0, std::min(ta, tb));
        t1 = std::min(1.0, std::max(ta, tb));
        if (t0 > t1) continue;
      }
      const double xa = a.x + (b.x - a.x) * t0, xb = a.x + (b.x - a.x) * t1;
      const auto [x0, x1] =
          range(std::min(xa, xb) - margin, std::max(xa, xb) + margin, bounds_.x, nx_);
      for (std::size_t x = x0; x <= x1; ++x) {
        for (std::size_t id : cells_[y * nx_ + x]) {
          if (test(id)) return true;
        }
      }
    }
    return false;
  }

 private:
  [[nodiscard]] std::pair<std::size_t, std::size_t> range(double lo, double hi, double origin,
                                                          std::size_t n) const {
    auto index = [&](double v) {
      const double c = std::floor((v - origin) / cell_);
      if (!(c > 0)) return std::size_t{0};  // also NaN
      return std::min(n - 1, static_cast<std::size_t>(std::min(c, 1e15)));
    };
    return {index(lo), index(hi)};
  }

  rect bounds_;
  double cell_ = 1;
  std::size_t nx_ = 1, ny_ = 1;
  std::vector<std::vector<std::size_t>> cells_;
};

// What is known of a place a label may take (a box on a ring; the box itself is recomputed when
// needed, so that a target's cache is two bytes per box): whether it passes the tests that do not
// depend on the other labels (inside the panel, unambiguous, off every marker and obstacle, a
// leader that crosses no marker or obstacle) and whether it also keeps off the soft lines, each
// -1 until asked.
struct candidate_state {
  signed char fits = -1;      // 0: fails; 1: passes
  signed char off_soft = -1;  // 0: crosses a soft line; 1: keeps off them
};

// One box of a ring: the direction (index into the ring's angles) and where along the ray's
// cross-section it sits (centred on the ray, or flush left or right with the point).
struct ring_box {
  std::size_t angle = 0;
  int flush = 0;  // 0 centred, 1 flush left, 2 flush right
};

// The leader from a point to its label's box: from the marker's edge to the nearest point of the
// box.
std::pair<point, point> leader_ends(const label_target& t, const rect& box) {
  const point to{std::clamp(t.at.x, box.x, box.right()), std::clamp(t.at.y, box.y, box.bottom())};
  const double len = std::hypot(to.x - t.at.x, to.y - t.at.y);
  const point from{t.at.x + (to.x - t.at.x) / len * (t.radius + 0.5),
                   t.at.y + (to.y - t.at.y) / len * (t.radius + 0.5)};
  return {from, to};
}

// Places labels in several orders over the same points. What does not depend on the order (text
// sizes, markers, the candidates that pass the tests against points and obstacles) is worked out
// once, ring by ring as far as some order needs it; each order then tests only the candidates
// left against the labels and leaders placed before.
class placer {
 public:
  placer(std::span<const label_target> targets, const plot::text_measurer& m,
         const plot::text_style& style, const rect& area, const label_obstacles& obstacles,
         double lh)
      : targets_(targets),
        area_(area),
        obstacles_(obstacles),
        lh_(lh),
        max_reach_(std::min(std::hypot(area.width, area.height), 12 * lh)),
        marker_grid_(area, lh * 0.5, targets.size()),
        point_grid_(area, lh * 0.5, targets.size()),
        first_ring_(ring_angles(0)),
        other_rings_(ring_angles(1)),
        cache_(targets.size()) {
    // The boxes of a ring in the order they are tried, and the cos and sin of its angles.
    for (int kind = 0; kind < 2; ++kind) {
      for (double a : kind == 0 ? first_ring_ : other_rings_) {
        auto& boxes = kind == 0 ? first_boxes_ : other_boxes_;
        auto& dirs = kind == 0 ? first_dirs_ : other_dirs_;
        const double ux = std::cos(a), uy = std::sin(a);
        dirs.push_back({ux, uy});
        boxes.push_back({dirs.size() - 1, 0});
        if (std::abs(uy) > 0.99) {
          // Above or below: also flush left or right with the point, for points near an edge.
          boxes.push_back({dirs.size() - 1, 1});
          boxes.push_back({dirs.size() - 1, 2});
        }
      }
    }
    const std::size_t n = targets.size();
    extents_.reserve(n);
    markers_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& t = targets[i];
      extents_.push_back(m.measure(t.text, style));
      markers_.push_back(marker_box(t));
      marker_grid_.insert(i, markers_.back());
      point_grid_.insert(i, {t.at.x, t.at.y, 0, 0});
      max_radius_ = std::max(max_radius_, t.radius);
    }
  }

  // The most labels that can be placed (label_capacity()).
  [[nodiscard]] std::size_t capacity() const {
    std::vector<double> areas;
    areas.reserve(extents_.size());
    for (const auto& e : extents_) areas.push_back(e.width * (e.ascent + e.descent));
    std::sort(areas.begin(), areas.end());
    return label_capacity(areas, area_);
  }

  // The number of other points within `r` of each point marked in `which` (0 for the others).
  [[nodiscard]] std::vector<int> neighbours(double r, const std::vector<char>& which) const {
    std::vector<int> count(targets_.size(), 0);
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      if (which[i] == 0) continue;
      const point at = targets_[i].at;
      // Each point is in one cell, so each is counted once.
      (void)point_grid_.any({at.x - r - 1, at.y - r - 1, 2 * r + 2, 2 * r + 2}, [&](std::size_t j) {
        if (i != j && std::hypot(at.x - targets_[j].at.x, at.y - targets_[j].at.y) < r) {
          ++count[i];
        }
        return false;
      });
    }
    return count;
  }

  // One greedy pass: labels in `order`, each at the first free candidate. A candidate is free when
  // it passes the tests against the labels and leaders placed so far and the tests that do not
  // depend on them (cached across the orders). The former are cheap grid queries, the latter can
  // be long (a leader from inside a heap of hundreds of nearly coincident points is tested
  // against each of them: issue 15 item 4, 3.3 s at k = 800), so they come first and the latter
  // are worked out only for boxes still free. All tests are pure, so the first free candidate,
  // and the figure, are the same as testing in the other order.
  std::vector<label_placement> place_in_order(const std::vector<std::size_t>& order) {
    const std::size_t n = targets_.size();
    std::vector<label_placement> out(n);
    std::vector<rect> placed_boxes;
    std::vector<std::pair<point, point>> leaders;
    box_grid placed_grid(area_, lh_, n);
    box_grid leader_grid(area_, lh_, n);
    for (std::size_t i : order) {
      const auto& t = targets_[i];
      bool done = false;
      // First keep off the soft lines too; only when that finds no place, ignore them.
      const int passes = obstacles_.soft_segments.empty() ? 1 : 2;
      for (int pass = 0; pass < passes && !done; ++pass) {
        const bool strict = pass == 0 && passes == 2;
        for (std::size_t c = 0; !done && has_box(i, c); ++c) {
          candidate_state& cand = cache_[i].boxes[c];
          if (cand.fits == 0 || (strict && cand.off_soft == 0)) continue;
          bool leader = false;
          const rect box = box_at(i, c, leader);
          const rect near_box = grown(box, slack);
          if (placed_grid.any(near_box,
                              [&](std::size_t j) { return placed_boxes[j].overlaps(box); }) ||
              leader_grid.any(near_box, [&](std::size_t j) {
                return segment_hits(leaders[j].first, leaders[j].second, box);
              })) {
            continue;
          }
          point from{}, to{};
          if (leader) {
            std::tie(from, to) = leader_ends(t, box);
            if (placed_grid.any_near(from, to, slack, [&](std::size_t j) {
                  return segment_hits(from, to, placed_boxes[j]);
                })) {
              continue;
            }
          }
          if (cand.fits < 0) cand.fits = fits(i, box, leader) ? 1 : 0;
          if (cand.fits == 0) continue;
          if (strict) {
            if (cand.off_soft < 0) cand.off_soft = on_soft_line(i, box, leader) ? 0 : 1;
            if (cand.off_soft == 0) continue;
          }
          auto& p = out[i];
          p.placed = true;
          p.box = box;
          p.baseline = {box.x, box.y + extents_[i].ascent};
          p.leader = leader;
          p.leader_from = from;
          p.leader_to = to;
          // Placed in the second pass: its box or leader crosses a soft line (the first pass
          // found no place off them).
          p.on_soft_line = passes == 2 && !strict;
          placed_grid.insert(placed_boxes.size(), box);
          placed_boxes.push_back(box);
          if (leader) {
            leader_grid.insert(leaders.size(), segment_box(from, to));
            leaders.emplace_back(from, to);
          }
          done = true;
        }
      }
    }
    return out;
  }

 private:
  // Tolerance added to every query box, so that rounding never leaves out an item the exact test
  // would find.
  static constexpr double slack = 1;

  struct target_cache {
    std::vector<candidate_state> boxes;  // of the boxes asked for so far, ring by ring
  };

  // The ring of box c of a target, and its place in the ring.
  [[nodiscard]] std::pair<std::size_t, std::size_t> ring_of(std::size_t c) const {
    const std::size_t n0 = first_boxes_.size(), n1 = other_boxes_.size();
    if (c < n0) return {0, c};
    return {1 + (c - n0) / n1, (c - n0) % n1};
  }

  // The distance from the point to the boxes of a ring.
  [[nodiscard]] double ring_distance(std::size_t i, std::size_t ring) const {
    const double d0 = targets_[i].radius + 1.5;
    const double step = lh_ * 0.6;
    return d0 + static_cast<double>(ring) * step;
  }

  // True when target i has a box c: its ring is within the reach of a leader (rings lie further
  // out one after the other). Makes room for its state.
  bool has_box(std::size_t i, std::size_t c) {
    if (ring_distance(i, ring_of(c).first) > max_reach_) return false;
    auto& boxes = cache_[i].boxes;
    if (boxes.size() <= c) boxes.resize(c + 1);
    return true;
  }

  // Box c of target i: on rings of growing distance around the point, in the directions of
  // ring_angles() (the first ring has its own), each box centred on the ray so that its edge is at
  // the ring's distance from the point; rings from 2 on need a leader.
  [[nodiscard]] rect box_at(std::size_t i, std::size_t c, bool& leader) const {
    const auto& t = targets_[i];
    const auto& e = extents_[i];
    const double w = e.width, h = e.ascent + e.descent;
    const auto [ring, at] = ring_of(c);
    const double d = ring_distance(i, ring);
    leader = ring >= 2;
    const ring_box& b = ring == 0 ? first_boxes_[at] : other_boxes_[at];
    const point u = ring == 0 ? first_dirs_[b.angle] : other_dirs_[b.angle];
    const double ux = u.x, uy = u.y;
    const double to_edge = std::min(std::abs(ux) > 1e-12 ? (w / 2) / std::abs(ux) : 1e300,
                                    std::abs(uy) > 1e-12 ? (h / 2) / std::abs(uy) : 1e300);
    const double cx = t.at.x + ux * (d + to_edge), cy = t.at.y + uy * (d + to_edge);
    if (b.flush == 1) return {t.at.x - t.radius, cy - h / 2, w, h};
    if (b.flush == 2) return {t.at.x + t.radius - w, cy - h / 2, w, h};
    return {cx - w / 2, cy - h / 2, w, h};
  }

  // The tests that do not depend on other labels, the soft lines excepted.
  [[nodiscard]] bool fits(std::size_t i, const rect& box, bool leader) const {
    const auto& t = targets_[i];
    if (!inside(box, {area_.x + 1, area_.y + 1, area_.width - 2, area_.height - 2})) return false;
    auto clashes = [&](const rect& r) { return r.overlaps(box); };
    const rect near_box = grown(box, slack);
    if (marker_grid_.any(near_box, [&](std::size_t j) { return clashes(markers_[j]); }) ||
        std::any_of(obstacles_.rects.begin(), obstacles_.rects.end(), clashes)) {
      return false;
    }
    // A label must be unambiguous: nearer its own marker than any other (edge to edge), and a
    // label joined by a leader must keep clear of other markers.
    const double own = distance(box, t.at) - t.radius;
    const double limit = leader ? lh_ * 0.5 : own + 1;
    // A point whose marker edge is nearer than `limit` lies within limit + its radius of the box
    // in both x and y (hypot is never below its larger argument, so the shortcut is exact).
    if (point_grid_.any(grown(box, std::max(0.0, limit + max_radius_) + slack), [&](std::size_t j) {
          if (j == i) return false;
          const point p = targets_[j].at;
          const double dx = std::max({box.x - p.x, 0.0, p.x - box.right()});
          const double dy = std::max({box.y - p.y, 0.0, p.y - box.bottom()});
          if (std::max(dx, dy) - targets_[j].radius >= limit) return false;
          return distance(box, p) - targets_[j].radius < limit;
        })) {
      return false;
    }
    if (std::any_of(obstacles_.segments.begin(), obstacles_.segments.end(),
                    [&](const auto& s) { return segment_hits(s.first, s.second, box); })) {
      return false;
    }
    if (!leader) return true;
    point from{}, to{};
    std::tie(from, to) = leader_ends(t, box);
    const rect path = segment_box(from, to);
    // The leader must not cross another point (its own excepted).
    if (marker_grid_.any_near(from, to, lh_ * 0.4 + slack, [&](std::size_t j) {
          const rect& mk = markers_[j];
          // A point drawn inside another's marker (a small bubble on a big one) starts its leader
          // inside that marker; only the other markers can block it.
          if (from.x > mk.x && from.x < mk.right() && from.y > mk.y && from.y < mk.bottom()) {
            return false;
          }
          if (j == i) return false;
          // Markers are grown by at most 0.4 line heights: one whose grown box is off the
          // leader's box cannot block it (a cheap test before the exact one).
          const rect widest = grown(mk, lh_ * 0.4 + 1e-6);
          if (!widest.overlaps(path)) return false;
          // A leader passes no other point closely; a point almost on top of this one gets only
          // the clearance there is.
          const double gap = std::hypot(targets_[j].at.x - t.at.x, targets_[j].at.y - t.at.y) -
                             targets_[j].radius - t.radius - 1;
          const double clear = std::clamp(gap, 0.0, lh_ * 0.4);
          return segment_hits(from, to, grown(mk, clear));
        })) {
      return false;
    }
    for (const auto& r : obstacles_.rects) {
      if (segment_hits(from, to, r)) return false;
    }
    for (const auto& [a, b] : obstacles_.segments) {
      if (segments_cross(from, to, a, b)) return false;
    }
    return true;
  }

  // True when the box, or its leader, crosses a soft line.
  [[nodiscard]] bool on_soft_line(std::size_t i, const rect& box, bool leader) const {
    const auto& soft = obstacles_.soft_segments;
    if (std::any_of(soft.begin(), soft.end(),
                    [&](const auto& s) { return segment_hits(s.first, s.second, box); })) {
      return true;
    }
    if (!leader) return false;
    point from{}, to{};
    std::tie(from, to) = leader_ends(targets_[i], box);
    return std::any_of(soft.begin(), soft.end(),
                       [&](const auto& s) { return segments_cross(from, to, s.first, s.second); });
  }

  std::span<const label_target> targets_;
  rect area_;
  const label_obstacles& obstacles_;
  double lh_;
  double max_reach_;  // longer leaders are hard to follow; a label that needs one is left out
  std::vector<plot::text_extents> extents_;
  std::vector<rect> markers_;
  box_grid marker_grid_;  // marker boxes
  box_grid point_grid_;   // centres, one cell each
  double max_radius_ = 0;
  std::vector<double> first_ring_, other_rings_;
  std::vector<ring_box> first_boxes_, other_boxes_;
  std::vector<point> first_dirs_, other_dirs_;
  std::vector<target_cache> cache_;
};

// Lower is better: every leader costs its length plus a fixed amount, a missing label far more.
double cost(const std::vector<label_placement>& p, std::span<const label_target> targets) {
  double c = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto& l = p[i];
    if (!l.placed) {
      c += 1e6 * (1 + std::max(0.0, targets[i].priority));
    } else if (l.leader) {
      c += 20 + std::hypot(l.leader_to.x - l.leader_from.x, l.leader_to.y - l.leader_from.y);
    }
    if (l.placed && l.on_soft_line) c += 40;
  }
  return c;
}

}  // namespace

std::vector<double> label_areas(std::span<const label_target> targets, const plot::text_measurer& m,
                                const plot::text_style& style) {
  std::vector<double> areas;
  areas.reserve(targets.size());
  for (const auto& t : targets) {
    const auto e = m.measure(t.text, style);
    areas.push_back(e.width * (e.ascent + e.descent));
  }
  std::sort(areas.begin(), areas.end());
  return areas;
}

// Placed boxes do not overlap and lie inside the panel less a point on each side, so together
// they cover at most its area: counted with the smallest boxes first.
std::size_t label_capacity(std::span<const double> sorted_areas, const rect& area) {
  double room = std::max(0.0, area.width - 2) * std::max(0.0, area.height - 2);
  std::size_t count = 0;
  for (double a : sorted_areas) {
    if (a > room) break;
    room -= a;
    ++count;
  }
  return count;
}

std::vector<label_placement> place_labels(std::span<const label_target> targets,
                                          const plot::text_measurer& m,
                                          const plot::text_style& style, const rect& area,
                                          const label_obstacles& obstacles) {
  const std::size_t n = targets.size();
  if (n == 0) return {};
  const auto probe = m.measure("Ag", style);
  const double lh = probe.ascent + probe.descent;
  placer pl(targets, m, style, area, obstacles, lh);
  std::vector<char> tried(n, 1);
  // Labels that cannot all fit are not all tried (issue 15 item 4: 800 studies took a minute,
  // nearly all of it spent on labels that never found room). Placed boxes do not overlap and lie
  // inside the panel, so at most capacity() labels can be placed; only that many, those of the
  // highest priority, are tried. When every label could fit in principle, nothing changes.
  if (const std::size_t room = pl.capacity(); room < n) {
    std::vector<std::size_t> by_priority(n);
    for (std::size_t i = 0; i < n; ++i) by_priority[i] = i;
    std::stable_sort(by_priority.begin(), by_priority.end(), [&](std::size_t a, std::size_t b) {
      return targets[a].priority > targets[b].priority;
    });
    std::fill(tried.begin(), tried.end(), 0);
    for (std::size_t r = 0; r < room; ++r) tried[by_priority[r]] = 1;
  }
  // Greedy placement depends on the order; try a few and keep the best. Crowded points first
  // (the number of other points within three line heights), crowded last, top to bottom, by
  // priority, and input order.
  const std::vector<int> crowd = pl.neighbours(3 * lh, tried);
  std::vector<std::size_t> input(n);
  for (std::size_t i = 0; i < n; ++i) input[i] = i;
  std::vector<std::vector<std::size_t>> orders(5, input);
  std::stable_sort(orders[0].begin(), orders[0].end(),
                   [&](std::size_t a, std::size_t b) { return crowd[a] > crowd[b]; });
  std::stable_sort(orders[3].begin(), orders[3].end(), [&](std::size_t a, std::size_t b) {
    return targets[a].priority > targets[b].priority;
  });
  std::stable_sort(orders[1].begin(), orders[1].end(),
                   [&](std::size_t a, std::size_t b) { return crowd[a] < crowd[b]; });
  std::stable_sort(orders[2].begin(), orders[2].end(),
                   [&](std::size_t a, std::size_t b) { return targets[a].at.y < targets[b].at.y; });
  // With few labels, a few more orders: deterministic shuffles (a fixed linear congruential
  // sequence), so the same figure always gets the same labels.
  if (n <= 40) {
    std::uint64_t state = 0x2545F4914F6CDD1Dull;
    for (int extra = 0; extra < 12; ++extra) {
      auto order = input;
      for (std::size_t i = n; i > 1; --i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        std::swap(order[i - 1], order[(state >> 33) % i]);
      }
      orders.push_back(std::move(order));
    }
  }
  for (auto& order : orders) {
    std::erase_if(order, [&](std::size_t i) { return tried[i] == 0; });
  }
  std::vector<label_placement> best;
  double best_cost = 0;
  for (const auto& order : orders) {
    auto p = pl.place_in_order(order);
    const double c = cost(p, targets);
    if (best.empty() || c < best_cost) {
      best = std::move(p);
      best_cost = c;
    }
  }
  return best;
}

}  // namespace srma::detail
