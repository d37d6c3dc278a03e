// Output: format from the file name, rendering, and writing the file all at once.
#include "srma/plot/output.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "backends.hpp"
#include "srma/plot/backend.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::plot {

std::string_view image_format_name(image_format f) {
  switch (f) {
    case image_format::svg:
      return "svg";
    case image_format::pdf:
      return "pdf";
    case image_format::png:
      return "png";
  }
  return "svg";
}

std::string_view to_string(image_format f) { return image_format_name(f); }

std::optional<image_format> parse_image_format(std::string_view text) {
  for (auto f : {image_format::svg, image_format::pdf, image_format::png})
    if (detail::iequals(image_format_name(f), text)) return f;
  return std::nullopt;
}

expected<image_format> format_from_path(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  const std::string ext =
      dot == std::string_view::npos ? std::string() : detail::to_lower(name.substr(dot + 1));
  if (ext == "svg") return image_format::svg;
  if (ext == "pdf") return image_format::pdf;
  if (ext == "png") return image_format::png;
  return fail(errc::plot_bad_extension,
              fmt::format("output file '{}' {}; expected .svg, .pdf or .png", path,
                          ext.empty() ? std::string("has no extension")
                                      : fmt::format("has the extension '.{}'", ext)));
}

std::string render_options::validate() const {
  if (!(dpi >= 10 && dpi <= 2400)) {
    return fmt::format("dpi is {:g}, but must be between 10 and 2400", dpi);
  }
  return "";
}

std::string render_svg(const drawing& d) { return detail::write_svg(d); }

expected<std::string> render(const drawing& d, image_format format, const render_options& options) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (format == image_format::svg) return detail::write_svg(d);
  try {
    return backend().render(d, format, options.dpi);
  } catch (const backend_error& e) {
    return unexpected(e.error());
  }
}

namespace {

expected<void> write_file(const std::string& path, const std::string& bytes);

}  // namespace

expected<void> save(const drawing& d, const std::string& path, const render_options& options) {
  auto format = format_from_path(path);
  if (!format) return unexpected(format.error());
  auto bytes = render(d, *format, options);
  if (!bytes) return unexpected(bytes.error());
  return write_file(path, *bytes);
}

std::string page_path(const std::string& path, std::size_t page) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return fmt::format("{}-{}", path, page);
  }
  return fmt::format("{}-{}{}", path.substr(0, dot), page, path.substr(dot));
}

expected<std::vector<std::string>> save_pages(std::span<const drawing> pages,
                                              const std::string& path,
                                              const render_options& options) {
  auto format = format_from_path(path);
  if (!format) return unexpected(format.error());
  if (pages.empty()) return fail(errc::plot_bad_data, "no page to write");
  if (pages.size() == 1) {
    if (auto ok = save(pages.front(), path, options); !ok) return unexpected(ok.error());
    return std::vector<std::string>{path};
  }
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (*format == image_format::pdf) {
    expected<std::string> bytes = std::string();
    try {
      bytes = backend().render_pages(pages);
    } catch (const backend_error& e) {
      return unexpected(e.error());
    }
    if (!bytes) return unexpected(bytes.error());
    if (auto ok = write_file(path, *bytes); !ok) return unexpected(ok.error());
    return std::vector<std::string>{path};
  }
  // Every page is rendered before any file is written.
  std::vector<std::string> rendered;
  for (const auto& p : pages) {
    auto bytes = render(p, *format, options);
    if (!bytes) return unexpected(bytes.error());
    rendered.push_back(std::move(*bytes));
  }
  std::vector<std::string> written;
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    written.push_back(page_path(path, i + 1));
    if (auto ok = write_file(written.back(), rendered[i]); !ok) return unexpected(ok.error());
  }
  return written;
}

namespace {

expected<void> write_file(const std::string& path, const std::string& bytes) {
  // Write next to the target and rename: readers never see a partial figure, and a failed run
  // leaves an older figure of the same name untouched.
  const std::string tmp = path + ".srma-tmp";
  auto cannot_write = [&](int err) {
    return fail(errc::plot_unwritable,
                fmt::format("cannot write the figure: {}", std::strerror(err)), {path});
  };
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return cannot_write(errno);
  const std::size_t n = std::fwrite(bytes.data(), 1, bytes.size(), f);
  int err = n == bytes.size() ? 0 : errno;
  if (std::fclose(f) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    std::remove(tmp.c_str());
    return cannot_write(err);
  }
  return {};
}

}  // namespace

expected<double> parse_length(std::string_view text, double dpi) {
  const std::string_view t = detail::trim(text);
  std::size_t split = t.size();
  while (split > 0 && std::isalpha(static_cast<unsigned char>(t[split - 1]))) --split;
  const std::string unit = detail::to_lower(t.substr(split));
  const auto value = detail::parse_double(t.substr(0, split));
  double factor = 0;
  if (unit.empty() || unit == "in") factor = 72;
  if (unit == "mm") factor = 72 / 25.4;
  if (unit == "cm") factor = 72 / 2.54;
  if (unit == "pt") factor = 1;
  if (unit == "px") factor = 72 / dpi;
  if (!value || factor == 0 || !(*value > 0)) {
    return fail(errc::plot_bad_options,
                fmt::format("length '{}' is not understood; expected a positive number with an "
                            "optional unit in, mm, cm, pt or px (e.g. 7in, 180mm)",
                            text));
  }
  return *value * factor;
}

expected<double> journal_width(std::string_view name) {
  const std::string n = detail::to_lower(detail::trim(name));
  if (n == "single") return 88 * 72 / 25.4;
  if (n == "double") return 180 * 72 / 25.4;
  return fail(errc::plot_bad_options,
              fmt::format("figure size '{}' is not known; expected single (88 mm, one column) or "
                          "double (180 mm, the page width)",
                          name));
}

}  // namespace srma::plot
