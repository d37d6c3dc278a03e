// Greedy label placement on rings of growing distance around each point.
#include "label_placer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

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

// One greedy pass: labels in `order`, each at the first free candidate.
std::vector<label_placement> place_in_order(std::span<const label_target> targets,
                                            const std::vector<std::size_t>& order,
                                            const plot::text_measurer& m,
                                            const plot::text_style& style, const rect& area,
                                            const label_obstacles& obstacles, double lh) {
  const std::size_t n = targets.size();
  std::vector<label_placement> out(n);
  std::vector<rect> markers;
  markers.reserve(n);
  for (const auto& t : targets) markers.push_back(marker_box(t));
  std::vector<rect> placed_boxes;
  std::vector<std::pair<point, point>> leaders;
  // Longer leaders are hard to follow; a label that needs one is better left out.
  const double max_reach = std::min(std::hypot(area.width, area.height), 12 * lh);
  for (std::size_t i : order) {
    const auto& t = targets[i];
    const auto e = m.measure(t.text, style);
    const double w = e.width, h = e.ascent + e.descent;
    const double d0 = t.radius + 1.5;
    const double step = lh * 0.6;
    bool done = false;
    // First keep off the soft lines too; only when that finds no place, ignore them.
    const int passes = obstacles.soft_segments.empty() ? 1 : 2;
    for (int pass = 0; pass < passes && !done; ++pass) {
      const bool strict = pass == 0;
      for (std::size_t ring = 0; !done; ++ring) {
        const double d = d0 + static_cast<double>(ring) * step;
        if (d > max_reach) break;
        const bool leader = ring >= 2;
        std::vector<rect> candidates;
        for (double a : ring_angles(ring)) {
          const double ux = std::cos(a), uy = std::sin(a);
          // Centre the box on the ray so that its edge is at distance d from the point.
          const double to_edge = std::min(std::abs(ux) > 1e-12 ? (w / 2) / std::abs(ux) : 1e300,
                                          std::abs(uy) > 1e-12 ? (h / 2) / std::abs(uy) : 1e300);
          const double cx = t.at.x + ux * (d + to_edge), cy = t.at.y + uy * (d + to_edge);
          candidates.push_back({cx - w / 2, cy - h / 2, w, h});
          if (std::abs(uy) > 0.99) {
            // Above or below: also flush left or right with the point, for points near an edge.
            candidates.push_back({t.at.x - t.radius, cy - h / 2, w, h});
            candidates.push_back({t.at.x + t.radius - w, cy - h / 2, w, h});
          }
        }
        for (const rect& box : candidates) {
          if (!inside(box, {area.x + 1, area.y + 1, area.width - 2, area.height - 2})) continue;
          // A label must be unambiguous: nearer its own marker than any other (edge to edge), and
          // a label joined by a leader must keep clear of other markers.
          const double own = distance(box, t.at) - t.radius;
          bool ambiguous = false;
          for (std::size_t j = 0; j < n && !ambiguous; ++j) {
            if (j == i) continue;
            const double other = distance(box, targets[j].at) - targets[j].radius;
            ambiguous = leader ? other < lh * 0.5 : other < own + 1;
          }
          if (ambiguous) continue;
          auto clashes = [&](const rect& r) { return r.overlaps(box); };
          if (std::any_of(markers.begin(), markers.end(), clashes) ||
              std::any_of(placed_boxes.begin(), placed_boxes.end(), clashes) ||
              std::any_of(obstacles.rects.begin(), obstacles.rects.end(), clashes)) {
            continue;
          }
          auto crosses_box = [&](const std::pair<point, point>& s) {
            return segment_hits(s.first, s.second, box);
          };
          if (std::any_of(obstacles.segments.begin(), obstacles.segments.end(), crosses_box) ||
              std::any_of(leaders.begin(), leaders.end(), crosses_box) ||
              (strict && std::any_of(obstacles.soft_segments.begin(), obstacles.soft_segments.end(),
                                     crosses_box))) {
            continue;
          }
          point from{}, to{};
          if (leader) {
            to = {std::clamp(t.at.x, box.x, box.right()), std::clamp(t.at.y, box.y, box.bottom())};
            const double len = std::hypot(to.x - t.at.x, to.y - t.at.y);
            from = {t.at.x + (to.x - t.at.x) / len * (t.radius + 0.5),
                    t.at.y + (to.y - t.at.y) / len * (t.radius + 0.5)};
            // The leader must not cross another point or label (its own point excepted).
            bool blocked = false;
            for (std::size_t j = 0; j < n && !blocked; ++j) {
              const rect& mk = markers[j];
              // A leader passes no other point closely; a point almost on top of this one gets
              // only the clearance there is.
              const double gap = std::hypot(targets[j].at.x - t.at.x, targets[j].at.y - t.at.y) -
                                 targets[j].radius - t.radius - 1;
              const double clear = std::clamp(gap, 0.0, lh * 0.4);
              // A point drawn inside another's marker (a small bubble on a big one) starts its
              // leader inside that marker; only the other markers can block it.
              const rect& outer = markers[j];
              if (from.x > outer.x && from.x < outer.right() && from.y > outer.y &&
                  from.y < outer.bottom()) {
                continue;
              }
              blocked = j != i && segment_hits(from, to,
                                               {mk.x - clear, mk.y - clear, mk.width + 2 * clear,
                                                mk.height + 2 * clear});
            }
            for (const auto& r : placed_boxes) blocked = blocked || segment_hits(from, to, r);
            for (const auto& r : obstacles.rects) blocked = blocked || segment_hits(from, to, r);
            for (const auto& [a, b] : obstacles.segments) {
              blocked = blocked || segments_cross(from, to, a, b);
            }
            if (strict) {
              for (const auto& [a, b] : obstacles.soft_segments) {
                blocked = blocked || segments_cross(from, to, a, b);
              }
            }
            if (blocked) continue;
          }
          auto& p = out[i];
          p.placed = true;
          p.box = box;
          p.baseline = {box.x, box.y + e.ascent};
          p.leader = leader;
          p.leader_from = from;
          p.leader_to = to;
          p.on_soft_line = !strict;
          placed_boxes.push_back(box);
          if (leader) leaders.emplace_back(from, to);
          done = true;
          break;
        }
      }
    }
  }
  return out;
}

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

std::vector<label_placement> place_labels(std::span<const label_target> targets,
                                          const plot::text_measurer& m,
                                          const plot::text_style& style, const rect& area,
                                          const label_obstacles& obstacles) {
  const std::size_t n = targets.size();
  if (n == 0) return {};
  const auto probe = m.measure("Ag", style);
  const double lh = probe.ascent + probe.descent;
  // Greedy placement depends on the order; try a few and keep the best. Crowded points first
  // (the number of other points within three line heights), crowded last, top to bottom, by
  // priority, and input order.
  std::vector<int> crowd(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && std::hypot(targets[i].at.x - targets[j].at.x,
                               targets[i].at.y - targets[j].at.y) < 3 * lh) {
        ++crowd[i];
      }
    }
  }
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
  std::vector<label_placement> best;
  double best_cost = 0;
  for (const auto& order : orders) {
    auto p = place_in_order(targets, order, m, style, area, obstacles, lh);
    const double c = cost(p, targets);
    if (best.empty() || c < best_cost) {
      best = std::move(p);
      best_cost = c;
    }
  }
  return best;
}

}  // namespace srma::detail
