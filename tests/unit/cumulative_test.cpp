// Tests of srma/cumulative.hpp beyond the metafor comparisons of tests/validation: the order
// (numeric, text, ties) and the errors for an order column that cannot be used.
#include "srma/sensitivity/cumulative.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace srma {
namespace {

study_table four(std::vector<std::string> order_values) {
  auto t = *make_study_table({-0.5, -0.2, 0.1, -0.9}, {0.04, 0.09, 0.05, 0.2}, {"A", "B", "C", "D"},
                             effect_measure::hazard_ratio);
  t.source = "trials.csv";
  t.line = {2, 3, 4, 5};
  t.attribute_names = {"year"};
  t.attribute_columns = {6};
  t.attributes = {std::move(order_values)};
  return t;
}

std::vector<std::size_t> order_of(const study_table& t) {
  auto r = cumulative(t, "year", preset_options(preset::metafor));
  EXPECT_TRUE(r) << r.error().what();
  return r ? r->order : std::vector<std::size_t>{};
}

TEST(cumulative_test, numbers_order_by_value_and_ties_keep_the_input_order) {
  // As numbers 9 < 10; as text "10" < "9".
  EXPECT_EQ(order_of(four({"10", "9", "10", "2001"})), (std::vector<std::size_t>{1, 0, 2, 3}));
}

TEST(cumulative_test, text_orders_as_text) {
  EXPECT_EQ(order_of(four({"2001-03", "1999-12", "2001-01", "1999-12"})),
            (std::vector<std::size_t>{1, 3, 2, 0}));
}

TEST(cumulative_test, an_order_column_that_cannot_be_used_is_an_error_with_its_cell) {
  const auto o = preset_options(preset::metafor);
  EXPECT_EQ(cumulative(four({"1990", "1991", "1992", "1993"}), "yaer", o).error().what(),
            "[srma.input.E216] trials.csv: no column 'yaer' to order by; the columns available "
            "are: year");
  EXPECT_EQ(cumulative(four({"1990", "", "1992", "1993"}), "year", o).error().what(),
            "[srma.input.E216] trials.csv:3:6: study 'B' has no value in column 'year' to order "
            "by");
  EXPECT_EQ(cumulative(four({"1990", "1991", "199O", "1993"}), "year", o).error().what(),
            "[srma.input.E216] trials.csv:4:6: study 'C' has '199O' in column 'year', not a "
            "number, while 3 of the 4 studies have numbers there; correct the value to order by "
            "it");
}

}  // namespace
}  // namespace srma
