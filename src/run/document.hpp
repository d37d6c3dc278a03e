// The report as a document model (private): sections of paragraphs, tables, figures and notices,
// built once from the results and rendered to HTML and Markdown, so both say the same thing.
#pragma once

#include <string>
#include <vector>

namespace srma::detail {

struct doc_table {
  std::string caption;  ///< "Table 1. ..." (numbered by the builder).
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_align;  ///< Per column; numbers are right aligned.
  std::string note;               ///< Footnote under the table.
};

struct doc_figure {
  std::string caption;             ///< "Figure 1. ..." (numbered by the builder).
  std::string svg;                 ///< Inline SVG for the HTML report.
  std::string file;                ///< figures/<stem>.svg, linked from Markdown.
  std::vector<std::string> files;  ///< Every format written (svg, pdf, png), for the links.
};

struct doc_block {
  enum class kind { paragraph, table, figure, items, notice } k = kind::paragraph;
  std::string text;                ///< paragraph / notice
  std::vector<std::string> items;  ///< bullet items
  doc_table table;
  doc_figure figure;
};

struct doc_section {
  std::string title;
  std::string anchor;
  int level = 2;  ///< 2 = section, 3 = subsection
  std::vector<doc_block> blocks;
};

struct document {
  std::string title;
  std::vector<std::string> front;  ///< Lines under the title (question, provenance).
  std::vector<doc_section> sections;
};

/// Self-contained HTML: inline CSS, figures as inline SVG, no external resource.
std::string render_html(const document& d);
/// GitHub-flavoured Markdown; figures link to their SVG files.
std::string render_markdown(const document& d);
/// CSV text of a table (RFC 4180 quoting).
std::string table_csv(const doc_table& t);

}  // namespace srma::detail
