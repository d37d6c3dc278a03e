// The drawing layer: canvas recording, text measurement, SVG/PDF/PNG output and file writing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plot/backends.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/text_measure.hpp"

namespace srma::plot {
namespace {

drawing sample() {
  drawing d(200, 100, "Sample & <title>");
  d.begin_group("group 1");
  d.line({10, 50}, {190, 50}, {.colour = colours::black, .width = 0.75});
  d.line({100, 10}, {100, 90}, {.colour = colours::mid_grey, .width = 0.5, .dash = {2, 2}});
  d.rectangle({20, 20, 10, 10}, {.fill = colours::dark_grey});
  const std::vector<point> diamond = {{40, 70}, {60, 65}, {80, 70}, {60, 75}};
  d.polygon(diamond, {.fill = colours::dark_grey, .stroke = stroke_style{}});
  d.circle({150, 30}, 3, {.fill = colours::white, .stroke = stroke_style{}});
  d.text({10, 40}, "Risk ratio", {.size = 9});
  d.text({190, 40}, "0.49 [0.34, 0.70]", {.size = 9, .bold = true, .anchor = text_anchor::end});
  d.text({100, 95}, "A & B < C", {.size = 8, .anchor = text_anchor::middle});
  d.text({5, 60}, "Standard error", {.size = 8, .vertical = true});
  d.end_group();
  return d;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

TEST(plot_output_test, format_follows_the_extension) {
  EXPECT_EQ(*format_from_path("out/forest.svg"), image_format::svg);
  EXPECT_EQ(*format_from_path("forest.PDF"), image_format::pdf);
  EXPECT_EQ(*format_from_path("a.b/forest.png"), image_format::png);
  auto bad = format_from_path("forest.jpg");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().what(),
            "[srma.plot.E501] output file 'forest.jpg' has the extension '.jpg'; expected .svg, "
            ".pdf or .png");
  auto none = format_from_path("dir.v2/forest");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().what(),
            "[srma.plot.E501] output file 'dir.v2/forest' has no extension; expected .svg, .pdf "
            "or .png");
}

TEST(plot_output_test, svg_has_real_text_and_is_deterministic) {
  const auto d = sample();
  const std::string svg = render_svg(d);
  EXPECT_EQ(svg, render_svg(sample()));
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  EXPECT_NE(svg.find("width=\"200pt\" height=\"100pt\" viewBox=\"0 0 200 100\""),
            std::string::npos);
  EXPECT_NE(svg.find("font-family=\"DejaVu Sans, Verdana, sans-serif\""), std::string::npos);
  EXPECT_NE(svg.find("<title>Sample &amp; &lt;title&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("<text x=\"10\" y=\"40\" font-size=\"9\">Risk ratio</text>"),
            std::string::npos);
  EXPECT_NE(svg.find("font-weight=\"bold\" text-anchor=\"end\">0.49 [0.34, 0.70]</text>"),
            std::string::npos);
  EXPECT_NE(svg.find(">A &amp; B &lt; C</text>"), std::string::npos);
  EXPECT_NE(svg.find("transform=\"rotate(-90 5 60)\""), std::string::npos);
  EXPECT_NE(svg.find("<g id=\"group_1\">"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"2 2\""), std::string::npos);
  EXPECT_NE(svg.find("<polygon points=\"40,70 60,65 80,70 60,75\" fill=\"#404040\""),
            std::string::npos);
  EXPECT_EQ(count(svg, "<text "), 4u);
  // No glyph outlines: the text is text.
  EXPECT_EQ(svg.find("<path"), std::string::npos);
  EXPECT_EQ(svg.find("<symbol"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST(plot_output_test, pdf_is_one_page_with_embedded_fonts_and_no_timestamp) {
  auto pdf = render(sample(), image_format::pdf);
  ASSERT_TRUE(pdf) << pdf.error().what();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  EXPECT_EQ(count(*pdf, "/Type /Page\n") + count(*pdf, "/Type /Page "), 1u);
  EXPECT_NE(pdf->find("/MediaBox [ 0 0 200 100 ]"), std::string::npos);
  EXPECT_NE(pdf->find("/FontFile"), std::string::npos);   // embedded font: real text
  EXPECT_NE(pdf->find("/ToUnicode"), std::string::npos);  // selectable and searchable
  EXPECT_EQ(pdf->find("/CreationDate"), std::string::npos);
  auto again = render(sample(), image_format::pdf);
  ASSERT_TRUE(again);
  EXPECT_EQ(*pdf, *again);
}

TEST(plot_output_test, png_size_follows_dpi_and_records_it) {
  auto png = render(sample(), image_format::png, {.dpi = 144});
  ASSERT_TRUE(png) << png.error().what();
  ASSERT_GT(png->size(), 60u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  EXPECT_EQ(be32(*png, 16), 400u);  // 200 pt at 144 dpi
  EXPECT_EQ(be32(*png, 20), 200u);
  EXPECT_EQ(png->substr(37, 4), "pHYs");
  EXPECT_EQ(be32(*png, 41), 5669u);  // 144 dpi in pixels per metre
  const auto s = detail::inspect_png(*png);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.width, 400);
  EXPECT_EQ(s.height, 200);
  EXPECT_GT(s.ink, 0.005);  // something was drawn
  EXPECT_LT(s.ink, 0.5);    // on a white background
}

TEST(plot_output_test, blank_drawing_renders_blank_png) {
  auto png = render(drawing(50, 20), image_format::png, {.dpi = 72});
  ASSERT_TRUE(png);
  const auto s = detail::inspect_png(*png);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.width, 50);
  EXPECT_EQ(s.ink, 0);
  EXPECT_FALSE(detail::inspect_png("not a png").ok);
}

TEST(plot_output_test, invalid_dpi_and_oversized_png_are_errors) {
  auto low = render(sample(), image_format::png, {.dpi = 1});
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error().what(), "[srma.plot.E504] dpi is 1, but must be between 10 and 2400");
  auto huge = render(drawing(20000, 100), image_format::png, {.dpi = 300});
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().id, "srma.plot.E506");
}

TEST(plot_output_test, save_writes_the_whole_file_or_nothing) {
  const auto dir = std::filesystem::temp_directory_path() / "srma_plot_output_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "figure.svg").string();
  auto ok = save(sample(), path);
  ASSERT_TRUE(ok) << ok.error().what();
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), render_svg(sample()));
  EXPECT_FALSE(std::filesystem::exists(path + ".srma-tmp"));

  const std::string missing = (dir / "no_such_dir" / "figure.png").string();
  auto bad = save(sample(), missing);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().what(),
            "[srma.plot.E502] " + missing + ": cannot write the figure: No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(missing));

  auto ext = save(sample(), (dir / "figure.gif").string());
  ASSERT_FALSE(ext);
  EXPECT_EQ(ext.error().id, "srma.plot.E501");
  EXPECT_FALSE(std::filesystem::exists(dir / "figure.gif"));
  std::filesystem::remove_all(dir);
}

TEST(plot_output_test, lengths_with_units) {
  EXPECT_DOUBLE_EQ(*parse_length("7in"), 504);
  EXPECT_DOUBLE_EQ(*parse_length("7"), 504);
  EXPECT_DOUBLE_EQ(*parse_length("25.4mm"), 72);
  EXPECT_DOUBLE_EQ(*parse_length("2.54 cm"), 72);
  EXPECT_DOUBLE_EQ(*parse_length("500pt"), 500);
  EXPECT_DOUBLE_EQ(*parse_length("300px", 150), 144);
  auto bad = parse_length("7 furlongs");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().what(),
            "[srma.plot.E504] length '7 furlongs' is not understood; expected a positive number "
            "with an optional unit in, mm, cm, pt or px (e.g. 7in, 180mm)");
  EXPECT_FALSE(parse_length("-3in"));
  EXPECT_FALSE(parse_length(""));
}

TEST(plot_output_test, text_measurer_is_consistent) {
  text_measurer m;
  EXPECT_EQ(m.family(), "DejaVu Sans");
  const auto a = m.measure("Study", {.size = 9});
  const auto b = m.measure("Study 1", {.size = 9});
  const auto bold = m.measure("Study", {.size = 9, .bold = true});
  const auto big = m.measure("Study", {.size = 18});
  EXPECT_GT(a.width, 15);
  EXPECT_LT(a.width, 40);
  EXPECT_GT(b.width, a.width);
  EXPECT_GT(bold.width, a.width);
  // No hinting: widths scale linearly (up to Pango's 1/1024 unit).
  EXPECT_NEAR(big.width, 2 * a.width, 2e-3);
  EXPECT_GT(a.ascent, 5);
  EXPECT_GT(a.descent, 1);
  const rect end = m.box({100, 50}, "Study", {.size = 9, .anchor = text_anchor::end});
  EXPECT_DOUBLE_EQ(end.right(), 100);
  EXPECT_DOUBLE_EQ(end.y, 50 - a.ascent);
  const rect mid = m.box({100, 50}, "Study", {.size = 9, .anchor = text_anchor::middle});
  EXPECT_DOUBLE_EQ(mid.x + mid.width / 2, 100);
  const rect up = m.box({20, 100}, "Study", {.size = 9, .vertical = true});
  EXPECT_DOUBLE_EQ(up.height, a.width);
  EXPECT_DOUBLE_EQ(up.bottom(), 100);
  EXPECT_DOUBLE_EQ(up.x, 20 - a.ascent);
}

TEST(plot_output_test, overlaps_are_found_between_texts_and_marks_only) {
  drawing d(100, 100);
  d.add_box({0, 0, 10, 10}, box_kind::text, "a");
  d.add_box({5, 5, 10, 10}, box_kind::text, "b");  // overlaps a
  d.add_box({10, 6, 10, 4}, box_kind::text, "c");  // touches a's edge only; overlaps b
  d.add_box({50, 50, 10, 10}, box_kind::mark, "m");
  d.add_box({55, 55, 10, 10}, box_kind::mark, "n");  // mark on mark: allowed
  d.add_box({58, 40, 10, 17}, box_kind::text, "t");  // text on marks m and n
  const auto o = find_overlaps(d);
  const std::vector<std::pair<std::size_t, std::size_t>> want = {{0, 1}, {1, 2}, {3, 5}, {4, 5}};
  EXPECT_EQ(o, want);
}

}  // namespace
}  // namespace srma::plot
