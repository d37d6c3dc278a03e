// The PRISMA 2020 flow diagram: boxes and their counts (completed or as given), which columns and
// lines appear, the layout (no overlaps, texts inside their boxes, growth with content), errors.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "plot_checks.hpp"
#include "srma/plot/prisma.hpp"

namespace srma::plot {
namespace {

using test::all_text;
using test::expect_clean_layout;
using test::has_text;

// "(n = 1,525)" as drawn: no-break spaces keep a count on one line.
std::string nb(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 4, "n = ") == 0) {
      out += "n\u00a0=\u00a0";
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The seed review (examples/gepnet-ptr/prisma.csv).
review::prisma_counts seed() {
  review::prisma_counts c;
  c.database_results = 1525;
  c.duplicates = 203;
  c.records_excluded = 1282;
  c.dbr_assessed = 40;
  c.dbr_excluded = {{"Single-arm study", 29}};
  c.new_studies = 11;
  c.total_studies_ma = 11;
  return c;
}

// An updated review with registers and other methods.
review::prisma_counts full() {
  review::prisma_counts c;
  c.previous_studies = 12;
  c.previous_reports = 15;
  c.database_results = 2480;
  c.database_specific_results = {{"MEDLINE", 1200}, {"Embase", 980}, {"CENTRAL", 300}};
  c.register_results = 120;
  c.website_results = 25;
  c.organisation_results = 8;
  c.citations_results = 40;
  c.duplicates = 610;
  c.excluded_automatic = 150;
  c.excluded_other = 20;
  c.records_excluded = 1620;
  c.dbr_notretrieved_reports = 12;
  c.dbr_excluded = {{"Wrong population", 70}, {"Wrong intervention", 31}};
  c.other_sought_reports = 73;
  c.other_notretrieved_reports = 5;
  c.other_excluded = {{"Wrong population", 40}, {"Not a randomised trial", 20}};
  c.new_studies = 20;
  c.new_reports = 30;
  return c;
}

// The frames of the flow boxes and bands, from the edge marks that add_frame records.
std::map<std::string, rect> frames(const drawing& d) {
  std::map<std::string, rect> out;
  for (const auto& b : d.boxes()) {
    if (b.kind != box_kind::mark || (b.what.rfind("box ", 0) != 0)) continue;
    auto [it, fresh] = out.try_emplace(b.what, b.box);
    if (!fresh) {
      const double x0 = std::min(it->second.x, b.box.x), y0 = std::min(it->second.y, b.box.y);
      const double x1 = std::max(it->second.right(), b.box.right());
      const double y1 = std::max(it->second.bottom(), b.box.bottom());
      it->second = {x0, y0, x1 - x0, y1 - y0};
    }
  }
  return out;
}

// Flow boxes never overlap, and every text lies inside a box or a band (or is the title).
void expect_boxes_hold_their_text(const drawing& d, const std::string& title = "") {
  const auto f = frames(d);
  for (auto a = f.begin(); a != f.end(); ++a) {
    for (auto b = std::next(a); b != f.end(); ++b) {
      EXPECT_FALSE(a->second.overlaps(b->second)) << a->first << " overlaps " << b->first;
    }
  }
  // A band is recorded as its four edges, one after the other.
  std::vector<rect> bands;
  std::vector<rect> edges;
  for (const auto& b : d.boxes()) {
    if (b.what == "band") edges.push_back(b.box);
  }
  for (std::size_t i = 0; i + 3 < edges.size(); i += 4) {
    const rect& top = edges[i];
    const rect& bottom = edges[i + 1];
    bands.push_back({top.x, top.y, top.width, bottom.bottom() - top.y});
  }
  EXPECT_EQ(edges.size() % 4, 0u);
  for (const auto& t : d.boxes()) {
    if (t.kind != box_kind::text || t.what == title) continue;
    bool inside = false;
    for (const auto& [name, r] : f) {
      inside = inside || (t.box.x >= r.x && t.box.right() <= r.right() && t.box.y >= r.y &&
                          t.box.bottom() <= r.bottom());
    }
    for (const auto& r : bands) {
      inside = inside || (t.box.x >= r.x - 1 && t.box.right() <= r.right() + 1 &&
                          t.box.y >= r.y - 1 && t.box.bottom() <= r.bottom() + 1);
    }
    EXPECT_TRUE(inside) << "'" << t.what << "' is outside every box";
  }
}

TEST(plot_prisma_test, seed_review_completed) {
  auto fig = draw_prisma(seed(), {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  expect_boxes_hold_their_text(*fig);
  const std::string all = all_text(*fig);
  for (const char* s :
       {"Identification of studies via databases and registers",
        "Records identified from:", "Databases (n = 1,525)", "Records removed before screening:",
        "Duplicate records removed (n = 203)", "Records screened (n = 1,322)",
        "Records excluded (n = 1,282)", "Reports sought for retrieval (n = 40)",
        "Reports not retrieved (n = 0)", "Reports assessed for eligibility (n = 40)",
        "Reports excluded:", "Single-arm study (n = 29)", "Studies included in review (n = 11)",
        "Reports of included studies (n = 11)", "Studies included in meta-analysis (n = 11)"}) {
    EXPECT_NE(all.find(nb(s)), std::string::npos) << s;
  }
  for (const char* s : {"Identification", "Screening", "Included"}) EXPECT_TRUE(has_text(*fig, s));
  // Boxes the app leaves out when their counts are unknown.
  for (const char* s : {"Registers", "Previous studies", "via other methods", "automation tools",
                        "other reasons", "Websites", "Reports of studies included in meta"}) {
    EXPECT_EQ(all.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(fig->title(), "PRISMA 2020 flow diagram");
  test::expect_deterministic([] { return draw_prisma(seed(), {}); });
}

TEST(plot_prisma_test, counts_as_given_show_unknown_boxes) {
  prisma_options o;
  o.complete = false;
  o.meta_analysis = false;
  auto fig = draw_prisma(seed(), o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const std::string all = all_text(*fig);
  EXPECT_NE(all.find(nb("Records screened (n = ?)")), std::string::npos);
  EXPECT_NE(all.find(nb("Reports sought for retrieval (n = ?)")), std::string::npos);
  EXPECT_EQ(all.find("meta-analysis"), std::string::npos);
  // Reports of included studies: unknown, so the line is left out.
  EXPECT_EQ(all.find("Reports of included studies"), std::string::npos);
}

TEST(plot_prisma_test, updated_review_with_other_methods) {
  prisma_options o;
  o.title = "Study selection";
  auto fig = draw_prisma(full(), o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  expect_boxes_hold_their_text(*fig, "Study selection");
  const std::string all = all_text(*fig);
  for (const char* s :
       {"Previous studies", "Identification of new studies via databases and registers",
        "Identification of new studies via other methods",
        "Studies included in previous version of review (n = 12)", "MEDLINE (n = 1,200)",
        "Registers (n = 120)", "Websites (n = 25)", "Organisations (n = 8)",
        "Citation searching (n = 40)", "Records marked as ineligible by automation tools (n = 150)",
        "Records screened (n = 1,820)", "Reports assessed for eligibility (n = 188)",
        "Reports assessed for eligibility (n = 68)", "Not a randomised trial (n = 20)",
        "New studies included in review (n = 20)", "Total studies included in review (n = 32)",
        "Reports of total included studies (n = 45)"}) {
    EXPECT_NE(all.find(nb(s)), std::string::npos) << s;
  }
  const auto f = frames(*fig);
  for (const char* id :
       {"box previous", "box other-identified", "box other-sought", "box other-not-retrieved",
        "box other-assessed", "box other-excluded", "box total"}) {
    EXPECT_EQ(f.count(id), 1u) << id;
  }
  // Wider than the seed's diagram: two more columns of boxes and the previous column.
  EXPECT_GT(fig->width(), draw_prisma(seed(), {})->width() * 1.5);
}

TEST(plot_prisma_test, grows_with_reasons_and_wraps_long_ones) {
  auto c = seed();
  c.dbr_assessed = 400;
  c.dbr_excluded.clear();
  for (int i = 0; i < 20; ++i) {
    c.dbr_excluded.push_back(
        {"Reason " + std::to_string(i + 1) + ": a long explanation of why the report was excluded",
         10 + i});
  }
  auto small = draw_prisma(seed(), {});
  auto big = draw_prisma(c, {});
  ASSERT_TRUE(small && big);
  EXPECT_GT(big->height(), small->height() + 20 * 9);
  EXPECT_DOUBLE_EQ(big->width(), small->width());
  expect_clean_layout(*big);
  expect_boxes_hold_their_text(*big);
  EXPECT_NE(all_text(*big).find(nb("Reason 20: a long explanation of why the report was excluded "
                                   "(n = 29)")),
            std::string::npos);
}

TEST(plot_prisma_test, explicit_sizes) {
  auto natural = draw_prisma(seed(), {});
  ASSERT_TRUE(natural);
  prisma_options o;
  o.width = natural->width() + 100;
  o.height = natural->height() + 80;
  auto fig = draw_prisma(seed(), o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), o.width);
  EXPECT_DOUBLE_EQ(fig->height(), o.height);
  expect_clean_layout(*fig);
  expect_boxes_hold_their_text(*fig);
  o.width = 200;
  auto e = draw_prisma(seed(), o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().id, "srma.plot.E505");
  EXPECT_EQ(e.error().what().rfind("[srma.plot.E505] a width of 200 pt (2.78 in) is too small for "
                                   "this PRISMA flow diagram; it needs at least ",
                                   0),
            0u)
      << e.error().what();
}

TEST(plot_prisma_test, errors) {
  auto c = seed();
  c.duplicates = -3;
  auto e1 = draw_prisma(c, {});
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().what(),
            "[srma.plot.E507] duplicate records removed is -3, but a count must be >= 0");
  auto c2 = seed();
  c2.dbr_excluded = {{"Single-arm study", -29}};
  EXPECT_EQ(draw_prisma(c2, {}).error().what(),
            "[srma.plot.E507] reports excluded: 'Single-arm study' is -29, but a count must be "
            ">= 0");
  prisma_options o;
  o.font_size = 2;
  EXPECT_EQ(draw_prisma(seed(), o).error().what(),
            "[srma.plot.E504] font size is 2, but must be between 4 and 40");
  o = {};
  o.box_width = 30;
  EXPECT_EQ(draw_prisma(seed(), o).error().what(),
            "[srma.plot.E504] box width is 30 pt, but must be at least 54 pt (6 em)");
}

}  // namespace
}  // namespace srma::plot
