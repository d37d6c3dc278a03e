#include "document.hpp"

#include <fmt/format.h>

#include "srma/util/text.hpp"

namespace srma::detail {
namespace {

// Plain text (titles, names and reasons from the plan and the data) as Markdown that shows it
// as written: the characters Markdown reads as emphasis, code, HTML, tables, headings or
// strike-through are escaped, links are broken, and a line break becomes a space, so a plan's title
// cannot start a heading or inject HTML into report.md (issue 15, item 6).
std::string escape_md(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    // Brackets stay (citations such as "[1, 2]"), but cannot make a link: "](" and a "[" that
    // starts the text (a reference definition "[x]: url") are escaped.
    if (c == '\\' || c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' ||
        c == '#' || c == '~' || (c == '(' && !out.empty() && out.back() == ']') ||
        (c == '[' && out.empty()))
      out += '\\';
    out += c;
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The SVG of a figure without its XML declaration, for inline use.
std::string inline_svg(const std::string& svg) {
  const auto start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

constexpr const char* k_css =
    R"(body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}h3{font-size:1.1rem;margin-top:1.6rem}
.front{color:#444;margin:.1rem 0}
div.table{overflow-x:auto}table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}caption{caption-side:top;text-align:left;font-weight:bold;padding-bottom:.4rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}th{border-bottom:2px solid #888;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{font-size:.85rem;color:#444}
figure{margin:1.5rem 0;overflow-x:auto}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;margin-top:.4rem}figcaption a{margin-right:.5rem}
.notice{border-left:4px solid #c77700;background:#fff8ec;padding:.5rem .8rem;margin:1rem 0}
)";

}  // namespace

std::string render_html(const document& d) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
                     escape_xml(d.title), k_css);
  out += fmt::format("<h1>{}</h1>\n", escape_xml(d.title));
  for (const auto& f : d.front) out += fmt::format("<p class=\"front\">{}</p>\n", escape_xml(f));
  for (const auto& s : d.sections) {
    out += fmt::format("<h{0} id=\"{1}\">{2}</h{0}>\n", s.level, s.anchor, escape_xml(s.title));
    for (const auto& b : s.blocks) {
      switch (b.k) {
        case doc_block::kind::paragraph:
          out += fmt::format("<p>{}</p>\n", escape_xml(b.text));
          break;
        case doc_block::kind::notice:
          out += fmt::format("<div class=\"notice\">{}</div>\n", escape_xml(b.text));
          break;
        case doc_block::kind::items:
          out += "<ul>\n";
          for (const auto& i : b.items) out += fmt::format("<li>{}</li>\n", escape_xml(i));
          out += "</ul>\n";
          break;
        case doc_block::kind::table: {
          const auto& t = b.table;
          out += fmt::format("<div class=\"table\"><table>\n<caption>{}</caption>\n<thead><tr>",
                             escape_xml(t.caption));
          for (const auto& h : t.header) out += fmt::format("<th>{}</th>", escape_xml(h));
          out += "</tr></thead>\n<tbody>\n";
          for (const auto& r : t.rows) {
            out += "<tr>";
            for (std::size_t j = 0; j < r.size(); ++j) {
              const bool num = j < t.right_align.size() && t.right_align[j];
              out += fmt::format("<td{}>{}</td>", num ? " class=\"num\"" : "", escape_xml(r[j]));
            }
            out += "</tr>\n";
          }
          out += "</tbody>\n</table></div>\n";
          if (!t.note.empty()) out += fmt::format("<p class=\"note\">{}</p>\n", escape_xml(t.note));
          break;
        }
        case doc_block::kind::figure: {
          const auto& f = b.figure;
          out += "<figure>\n" + inline_svg(f.svg);
          if (out.back() != '\n') out += '\n';
          out += fmt::format("<figcaption>{}", escape_xml(f.caption));
          if (!f.files.empty()) {
            out += "<br>";
            for (const auto& file : f.files) {
              const auto dot = file.rfind('.');
              out += fmt::format("<a href=\"{}\">{}</a>", escape_xml(file),
                                 dot == std::string::npos ? file : file.substr(dot + 1));
            }
          }
          out += "</figcaption>\n</figure>\n";
          break;
        }
      }
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string render_markdown(const document& d) {
  std::string out = "# " + escape_md(d.title) + "\n\n";
  for (const auto& f : d.front) out += escape_md(f) + "  \n";
  if (!d.front.empty()) out += "\n";
  for (const auto& s : d.sections) {
    out += std::string(static_cast<std::size_t>(s.level), '#') + " " + escape_md(s.title) + "\n\n";
    for (const auto& b : s.blocks) {
      switch (b.k) {
        case doc_block::kind::paragraph:
          out += escape_md(b.text) + "\n\n";
          break;
        case doc_block::kind::notice:
          out += "> **Note.** " + escape_md(b.text) + "\n\n";
          break;
        case doc_block::kind::items:
          for (const auto& i : b.items) out += "- " + escape_md(i) + "\n";
          out += "\n";
          break;
        case doc_block::kind::table: {
          const auto& t = b.table;
          out += "**" + escape_md(t.caption) + "**\n\n|";
          for (const auto& h : t.header) out += " " + escape_md(h) + " |";
          out += "\n|";
          for (std::size_t j = 0; j < t.header.size(); ++j)
            out += (j < t.right_align.size() && t.right_align[j]) ? "---:|" : "---|";
          out += "\n";
          for (const auto& r : t.rows) {
            out += "|";
            for (const auto& c : r) out += " " + escape_md(c) + " |";
            out += "\n";
          }
          if (!t.note.empty()) out += "\n" + escape_md(t.note) + "\n";
          out += "\n";
          break;
        }
        case doc_block::kind::figure:
          out += fmt::format("![{}]({})\n\n*{}*\n\n", escape_md(b.figure.caption), b.figure.file,
                             escape_md(b.figure.caption));
          break;
      }
    }
  }
  return out;
}

std::string table_csv(const doc_table& t) {
  std::string out;
  for (std::size_t j = 0; j < t.header.size(); ++j) out += (j ? "," : "") + csv_field(t.header[j]);
  out += "\n";
  for (const auto& r : t.rows) {
    for (std::size_t j = 0; j < r.size(); ++j) out += (j ? "," : "") + csv_field(r[j]);
    out += "\n";
  }
  return out;
}

}  // namespace srma::detail
