// Cumulative meta-analysis (metafor's cumul.rma.uni; cumul.rma.mh and .rma.peto when the analysis
// pools 2x2 tables by Mantel-Haenszel or Peto). A refit that fails gives its row NaN with a
// note (metafor: NA), never an error.
#include "srma/sensitivity/cumulative.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <optional>

#include "refit.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"
#include "srma/util/text.hpp"

namespace srma {

expected<cumulative_result> cumulative(const study_table& studies, std::string_view order_by,
                                       const pool_options& options) {
  const std::size_t k = studies.k();
  cumulative_result out;
  out.order.resize(k);
  std::iota(out.order.begin(), out.order.end(), 0);
  if (!order_by.empty()) {
    const int a = studies.attribute_index(order_by);
    if (a < 0) {
      return fail(errc::input_bad_order_column,
                  fmt::format("no column '{}' to order by; the columns available are: {}", order_by,
                              fmt::join(studies.attribute_names, ", ")),
                  {studies.source, 0, 0});
    }
    out.order_by = studies.attribute_names[a];
    const auto& col = studies.attributes[a];
    auto where = [&](std::size_t i) {
      return error_location{studies.source, i < studies.line.size() ? studies.line[i] : 0,
                            a < static_cast<int>(studies.attribute_columns.size())
                                ? studies.attribute_columns[a]
                                : 0};
    };
    std::vector<double> num(k);
    std::size_t numbers = 0;
    std::optional<std::size_t> first_text;
    for (std::size_t i = 0; i < k; ++i) {
      if (detail::is_missing_token(col[i])) {
        return fail(errc::input_bad_order_column,
                    fmt::format("study '{}' has no value in column '{}' to order by",
                                studies.study[i], out.order_by),
                    where(i));
      }
      auto v = detail::parse_double(col[i]);
      if (v) {
        ++numbers;
      } else if (!first_text) {
        first_text = i;
      }
      num[i] = v.value_or(0);
    }
    // Numbers with a word among them would be ordered as text ("10" before "9"): more likely a
    // typing error than meant.
    if (first_text && numbers > 0) {
      return fail(errc::input_bad_order_column,
                  fmt::format("study '{}' has '{}' in column '{}', not a number, while {} of the "
                              "{} studies have numbers there; correct the value to order by it",
                              studies.study[*first_text], detail::trim(col[*first_text]),
                              out.order_by, numbers, k),
                  where(*first_text));
    }
    const bool numeric = !first_text;
    // Stable: studies with equal values keep their input order (as R's order()).
    std::stable_sort(out.order.begin(), out.order.end(), [&](std::size_t x, std::size_t y) {
      return numeric ? num[x] < num[y] : col[x] < col[y];
    });
  }
  auto full = detail::full_fit(studies, options);
  const bool tables = detail::pools_tables(studies, options);
  if (!full) return unexpected(full.error());
  out.model = detail::refit_model(*full);
  out.full = std::move(*full);
  out.rows.resize(k);
  std::vector<std::optional<error>> errors(k);
  detail::parallel_for(k, [&](std::size_t j) {
    auto r = [&]() -> expected<refit_summary> {
      if (tables) {
        return detail::refit_tables(studies, std::span(out.order).first(j + 1), options, out.model);
      }
      std::vector<double> y, v;
      for (std::size_t s = 0; s <= j; ++s) {
        y.push_back(studies.yi[out.order[s]]);
        v.push_back(studies.vi[out.order[s]]);
      }
      return detail::refit(y, v, options, out.model);
    }();
    if (r) {
      out.rows[j] = std::move(*r);
    } else {
      errors[j] = r.error();
      out.rows[j] = detail::failed_refit(j + 1);
    }
    out.rows[j].label = studies.study[out.order[j]];
  });
  for (std::size_t j = 0; j < k; ++j) {
    const auto& row = out.rows[j];
    if (!row.fitted) ++out.failed;
    const bool fell_back =
        row.fitted && out.model == model_kind::random && row.method != options.tau2;
    if (auto n = detail::refit_note(
            fmt::format("adding '{}' (step {}, {} studies)", row.label, j + 1, j + 1), errors[j],
            fell_back, row.notes)) {
      out.notes.push_back(std::move(*n));
    }
  }
  return out;
}

}  // namespace srma
