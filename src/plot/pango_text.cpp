// Pango set-up shared by text measurement and the Cairo renderer.
#include "pango_text.hpp"

namespace srma::detail {

void g_object_deleter::operator()(void* p) const {
  if (p != nullptr) g_object_unref(p);
}

void configure_pango_context(PangoContext* ctx) {
  pango_cairo_context_set_resolution(ctx, 72);
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(ctx, FALSE);
}

g_ptr<PangoLayout> make_pango_layout(PangoContext* ctx, const std::string& family,
                                     std::string_view text, const plot::text_style& style) {
  g_ptr<PangoLayout> layout(pango_layout_new(ctx));
  PangoFontDescription* desc = pango_font_description_new();
  pango_font_description_set_family(desc, family.c_str());
  pango_font_description_set_absolute_size(desc, style.size * PANGO_SCALE);
  pango_font_description_set_weight(desc, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), desc);
  pango_font_description_free(desc);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

layout_metrics measure_pango_layout(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  const double baseline = pango_units_to_double(pango_layout_get_baseline(layout));
  const double height = pango_units_to_double(logical.height);
  return {pango_units_to_double(logical.width), baseline, height - baseline};
}

}  // namespace srma::detail

// LeakSanitizer (the CI's ASan pass runs with detect_leaks=1) reports memory that fontconfig
// allocates for its configuration and font sets and never frees: it happens in a ten-line
// program that lays out one word with Pango, so it is not ours to fix. Only allocations made
// inside libfontconfig are suppressed; a Pango or GLib object that srma failed to release is
// allocated elsewhere and still reported. Without LeakSanitizer nothing calls this function.
extern "C" const char*
__lsan_default_suppressions();  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
extern "C" const char*
__lsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
  return "leak:libfontconfig.so\n";
}

// Without this, LeakSanitizer prints the list of suppressed leaks on stderr at exit, which would
// change the standard error of every command that draws text (and the goldens that check it).
extern "C" const char*
__lsan_default_options();  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
extern "C" const char*
__lsan_default_options() {  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
  return "print_suppressions=0";
}
