// Subset filters: a recursive-descent parser and evaluator. Written by hand: the grammar is a
// dozen lines and no Debian-packaged library offers a small embeddable expression language.
//
//   expr    := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | primary
//   primary := '(' expr ')' | operand cmp operand | operand 'in' '(' operand (',' operand)* ')'
//   operand := identifier | `quoted identifier` | 'text' | "text" | number
#include "srma/run/where.hpp"

#include <fmt/format.h>

#include <cctype>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {

struct where_filter::node {
  enum class kind { op_and, op_or, op_not, compare, in_list } k = kind::compare;
  std::string op;  // "==", "!=", "<", "<=", ">", ">="
  struct operand {
    bool is_column = false;
    std::string text;
  };
  operand lhs;
  std::vector<operand> rhs;  // one for compare, several for in_list
  std::unique_ptr<node> a, b;
};

namespace {

using node = where_filter::node;

struct token {
  enum class type { ident, string, number, op, lparen, rparen, comma, end } t = type::end;
  std::string text;
  std::size_t pos = 0;  // 0-based character offset
};

// A filter nests parentheses and `not` at most this deep and joins at most this many terms with
// `and`/`or`: the parser and the evaluator recurse, and 1,621 '(' overflowed the stack (found by
// fuzzing, tests/fuzz/where_fuzz.cpp).
constexpr std::size_t max_filter_depth = 100;
constexpr std::size_t max_filter_terms = 1000;

class parser {
 public:
  explicit parser(std::string_view s) : s_(s) {}

  expected<std::unique_ptr<node>> parse() {
    if (auto e = lex(); !e) return unexpected(e.error());
    auto n = parse_or();
    if (!n) return n;
    if (peek().t != token::type::end) return error_at(peek(), "'and', 'or' or the end");
    return n;
  }

 private:
  std::string_view s_;
  std::vector<token> toks_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;  // parentheses and `not` open now (max_filter_depth)
  std::size_t terms_ = 0;  // `and`/`or` terms so far (max_filter_terms)

  const token& peek() const { return toks_[i_]; }
  const token& next() { return toks_[i_++]; }

  unexpected error_at(const token& t, std::string_view expected_what) const {
    const std::string found = t.t == token::type::end ? "the end" : "'" + t.text + "'";
    return fail(errc::plan_bad_filter,
                fmt::format("where \"{}\": at character {}, expected {} but found {}", s_,
                            t.pos + 1, expected_what, found));
  }

  expected<void> lex() {
    std::size_t p = 0;
    while (p < s_.size()) {
      const char c = s_[p];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++p;
        continue;
      }
      token t;
      t.pos = p;
      if (c == '\'' || c == '"' || c == '`') {
        const std::size_t end = s_.find(c, p + 1);
        if (end == std::string_view::npos) {
          return fail(
              errc::plan_bad_filter,
              fmt::format("where \"{}\": the quote at character {} is never closed", s_, p + 1));
        }
        t.t = c == '`' ? token::type::ident : token::type::string;
        t.text = std::string(s_.substr(p + 1, end - p - 1));
        p = end + 1;
      } else if (c == '(' || c == ')' || c == ',') {
        t.t = c == '(' ? token::type::lparen : c == ')' ? token::type::rparen : token::type::comma;
        t.text = std::string(1, c);
        ++p;
      } else if (std::string_view("=!<>&|").find(c) != std::string_view::npos) {
        const char d = p + 1 < s_.size() ? s_[p + 1] : '\0';
        std::size_t len = 1;
        std::string op;
        switch (c) {
          case '=':
            op = "==";
            len = d == '=' ? 2 : 1;
            break;  // '=' alone reads as equality
          case '!':
            op = d == '=' ? "!=" : "not";
            len = d == '=' ? 2 : 1;
            break;
          case '<':
            op = d == '=' ? "<=" : "<";
            len = d == '=' ? 2 : 1;
            break;
          case '>':
            op = d == '=' ? ">=" : ">";
            len = d == '=' ? 2 : 1;
            break;
          case '&':
            op = d == '&' ? "and" : "";
            len = 2;
            break;
          default:
            op = d == '|' ? "or" : "";
            len = 2;
            break;
        }
        if (op.empty()) {
          return fail(errc::plan_bad_filter,
                      fmt::format("where \"{}\": unknown operator '{}' at character {}; use "
                                  "'&&' or 'and', '||' or 'or'",
                                  s_, c, p + 1));
        }
        p += len;
        t.t = token::type::op;
        t.text = op;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
        std::size_t e = p + 1;
        while (e < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '.' ||
                ((s_[e] == '-' || s_[e] == '+') && (s_[e - 1] == 'e' || s_[e - 1] == 'E'))))
          ++e;
        t.t = token::type::number;
        t.text = std::string(s_.substr(p, e - p));
        if (!detail::parse_double(t.text)) {
          return fail(
              errc::plan_bad_filter,
              fmt::format("where \"{}\": '{}' at character {} is not a number", s_, t.text, p + 1));
        }
        p = e;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t e = p + 1;
        while (e < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_' || s_[e] == '.'))
          ++e;
        t.text = std::string(s_.substr(p, e - p));
        const std::string low = detail::to_lower(t.text);
        if (low == "and" || low == "or" || low == "not" || low == "in") {
          t.t = token::type::op;
          t.text = low;
        } else {
          t.t = token::type::ident;
        }
        p = e;
      } else {
        return fail(errc::plan_bad_filter, fmt::format("where \"{}\": unexpected character '{}' at "
                                                       "character {}",
                                                       s_, c, p + 1));
      }
      toks_.push_back(std::move(t));
    }
    token end;
    end.pos = s_.size();
    toks_.push_back(end);
    return {};
  }

  bool is_op(const char* op) const { return peek().t == token::type::op && peek().text == op; }

  unexpected too_complex(const token& t) const {
    return fail(errc::plan_bad_filter,
                fmt::format("where \"{}\": at character {}, the filter nests parentheses and 'not' "
                            "more than {} deep or joins more than {} terms with 'and'/'or'; "
                            "use 'in (...)' for long lists",
                            s_, t.pos + 1, max_filter_depth, max_filter_terms));
  }

  expected<std::unique_ptr<node>> parse_or() {
    auto a = parse_and();
    if (!a) return a;
    while (is_op("or")) {
      if (++terms_ > max_filter_terms) return too_complex(peek());
      next();
      auto b = parse_and();
      if (!b) return b;
      auto n = std::make_unique<node>();
      n->k = node::kind::op_or;
      n->a = std::move(*a);
      n->b = std::move(*b);
      a = std::move(n);
    }
    return a;
  }

  expected<std::unique_ptr<node>> parse_and() {
    auto a = parse_unary();
    if (!a) return a;
    while (is_op("and")) {
      if (++terms_ > max_filter_terms) return too_complex(peek());
      next();
      auto b = parse_unary();
      if (!b) return b;
      auto n = std::make_unique<node>();
      n->k = node::kind::op_and;
      n->a = std::move(*a);
      n->b = std::move(*b);
      a = std::move(n);
    }
    return a;
  }

  expected<std::unique_ptr<node>> parse_unary() {
    if (is_op("not")) {
      if (depth_ >= max_filter_depth) return too_complex(peek());
      next();
      ++depth_;
      auto a = parse_unary();
      --depth_;
      if (!a) return a;
      auto n = std::make_unique<node>();
      n->k = node::kind::op_not;
      n->a = std::move(*a);
      return std::unique_ptr<node>(std::move(n));
    }
    return parse_primary();
  }

  expected<node::operand> parse_operand() {
    const token& t = peek();
    if (t.t == token::type::ident || t.t == token::type::string || t.t == token::type::number) {
      next();
      return node::operand{t.t == token::type::ident, t.text};
    }
    return error_at(t, "a column name, a quoted text or a number");
  }

  expected<std::unique_ptr<node>> parse_primary() {
    if (peek().t == token::type::lparen) {
      if (depth_ >= max_filter_depth) return too_complex(peek());
      next();
      ++depth_;
      auto e = parse_or();
      --depth_;
      if (!e) return e;
      if (peek().t != token::type::rparen) return error_at(peek(), "')'");
      next();
      return e;
    }
    auto lhs = parse_operand();
    if (!lhs) return unexpected(lhs.error());
    auto n = std::make_unique<node>();
    n->lhs = *lhs;
    if (is_op("in")) {
      next();
      if (peek().t != token::type::lparen) return error_at(peek(), "'(' after 'in'");
      next();
      n->k = node::kind::in_list;
      for (;;) {
        auto v = parse_operand();
        if (!v) return unexpected(v.error());
        n->rhs.push_back(*v);
        if (peek().t == token::type::comma) {
          next();
          continue;
        }
        if (peek().t == token::type::rparen) {
          next();
          break;
        }
        return error_at(peek(), "',' or ')'");
      }
      return std::unique_ptr<node>(std::move(n));
    }
    const token& op = peek();
    if (op.t != token::type::op || op.text == "and" || op.text == "or" || op.text == "not") {
      return error_at(op, "a comparison (==, !=, <, <=, >, >= or in)");
    }
    next();
    n->k = node::kind::compare;
    n->op = op.text;
    auto rhs = parse_operand();
    if (!rhs) return unexpected(rhs.error());
    n->rhs.push_back(*rhs);
    return std::unique_ptr<node>(std::move(n));
  }
};

void collect_columns(const node* n, std::vector<std::string>& out) {
  if (!n) return;
  auto add = [&](const node::operand& o) {
    if (o.is_column && std::find(out.begin(), out.end(), o.text) == out.end())
      out.push_back(o.text);
  };
  add(n->lhs);
  for (const auto& r : n->rhs) add(r);
  collect_columns(n->a.get(), out);
  collect_columns(n->b.get(), out);
}

// Evaluates `n` for study i; values of columns come from the table.
expected<bool> eval(const node* n, const study_table& t, std::size_t i, const std::string& expr) {
  switch (n->k) {
    case node::kind::op_and: {
      auto a = eval(n->a.get(), t, i, expr);
      if (!a || !*a) return a;
      return eval(n->b.get(), t, i, expr);
    }
    case node::kind::op_or: {
      auto a = eval(n->a.get(), t, i, expr);
      if (!a || *a) return a;
      return eval(n->b.get(), t, i, expr);
    }
    case node::kind::op_not: {
      auto a = eval(n->a.get(), t, i, expr);
      if (!a) return a;
      return !*a;
    }
    default:
      break;
  }
  auto value = [&](const node::operand& o) -> expected<std::string> {
    if (!o.is_column) return o.text;
    if (detail::iequals(o.text, "study")) return t.study[i];
    const int a = t.attribute_index(o.text);
    if (a < 0) {
      return fail(errc::plan_filter_column,
                  fmt::format("where \"{}\": no column '{}' in {}; the columns are: {}", expr,
                              o.text, t.source, fmt::join(t.attribute_names, ", ")));
    }
    const std::string v{detail::trim(t.attributes[a][i])};
    if (detail::is_missing_token(v)) {
      return fail(errc::plan_filter_column,
                  fmt::format("where \"{}\": study '{}' has no value in column '{}', so it is "
                              "unclear whether it belongs to the subset; fill it in",
                              expr, t.study[i], t.attribute_names[a]),
                  {t.source, i < t.line.size() ? t.line[i] : 0,
                   a < static_cast<int>(t.attribute_columns.size()) ? t.attribute_columns[a] : 0});
    }
    return v;
  };
  auto lhs = value(n->lhs);
  if (!lhs) return unexpected(lhs.error());
  auto compare = [&](const std::string& x, const std::string& y,
                     const std::string& op) -> expected<bool> {
    const auto nx = detail::parse_double(x), ny = detail::parse_double(y);
    // An order between a number and a text ("NR" > 40) means nothing: it was compared as text,
    // so studies without the number joined a numeric subset (issue 15, item 3).
    if (op != "==" && op != "!=" && static_cast<bool>(nx) != static_cast<bool>(ny)) {
      const int a = n->lhs.is_column ? t.attribute_index(n->lhs.text) : -1;
      return fail(
          errc::plan_filter_column,
          fmt::format("where \"{}\": study '{}' has '{}' where a number is compared "
                      "({} {} {}), so it is unclear whether it belongs to the subset; "
                      "give a number, or leave the cell empty (NA)",
                      expr, t.study[i], detail::printable(nx ? y : x), x, op, y),
          {t.source, i < t.line.size() ? t.line[i] : 0,
           a >= 0 && a < static_cast<int>(t.attribute_columns.size()) ? t.attribute_columns[a]
                                                                      : 0});
    }
    int c;
    if (nx && ny) {
      c = *nx < *ny ? -1 : (*nx > *ny ? 1 : 0);
    } else {
      c = x.compare(y);
      c = c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (op == "==") return c == 0;
    if (op == "!=") return c != 0;
    if (op == "<") return c < 0;
    if (op == "<=") return c <= 0;
    if (op == ">") return c > 0;
    return c >= 0;
  };
  if (n->k == node::kind::in_list) {
    for (const auto& r : n->rhs) {
      auto v = value(r);
      if (!v) return unexpected(v.error());
      if (*compare(*lhs, *v, "==")) return true;  // equality never fails
    }
    return false;
  }
  auto rhs = value(n->rhs[0]);
  if (!rhs) return unexpected(rhs.error());
  return compare(*lhs, *rhs, n->op);
}

}  // namespace

where_filter::where_filter() = default;
where_filter::~where_filter() = default;
where_filter::where_filter(where_filter&&) noexcept = default;
where_filter& where_filter::operator=(where_filter&&) noexcept = default;

std::vector<std::string> where_filter::columns() const {
  std::vector<std::string> out;
  collect_columns(root_.get(), out);
  return out;
}

expected<std::vector<std::size_t>> where_filter::select(const study_table& t) const {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < t.k(); ++i) {
    auto r = eval(root_.get(), t, i, text_);
    if (!r) return unexpected(r.error());
    if (*r) rows.push_back(i);
  }
  return rows;
}

expected<where_filter> parse_where(std::string_view text) {
  parser p(text);
  auto root = p.parse();
  if (!root) return unexpected(root.error());
  where_filter f;
  f.text_ = std::string(text);
  f.root_ = std::move(*root);
  return f;
}

}  // namespace srma
