// srma bias: tests for small-study effects, trim-and-fill and fail-safe N, as text or JSON.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/bias/small_study_bias.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct bias_args : analysis_args {
  bool json = false;
  std::string estimator = "L0";
  std::string side;
  std::string n_column;
  double alpha = 0.05;
};

int run_bias(const bias_args& args) {
  bias_options b;
  if (auto e = parse_trimfill_estimator(args.estimator)) {
    b.estimator = *e;
  } else {
    return report_error({srma::errc::cli_bad_value,
                         fmt::format("--estimator {}: expected L0 or R0", args.estimator),
                         {}});
  }
  if (!args.side.empty()) {
    b.side = parse_funnel_side(args.side);
    if (!b.side) {
      return report_error({srma::errc::cli_bad_value,
                           fmt::format("--side {}: expected left or right", args.side),
                           {}});
    }
  }
  b.sample_size_column = args.n_column;
  b.alpha = args.alpha;
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());
  auto r = small_study_bias(*studies, *options, b);
  if (!r) return report_error(r.error());
  for (const auto& w : r->warnings) fmt::print(stderr, "srma: warning: {}\n", w);
  if (args.json) {
    auto j = to_json(*r);
    j["input"] = input_json(*studies);
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{}", full_report(*r));
  }
  return exit_code::ok;
}

}  // namespace

void add_bias_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<bias_args>();
  auto* cmd = app.add_subcommand(
      "bias", "Small-study effects: Egger, Peters, Begg, trim-and-fill, fail-safe N");
  args->add_to(*cmd);
  cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
  cmd->add_option("--estimator", args->estimator, "Trim-and-fill estimator: L0 (default) or R0");
  cmd->add_option("--side", args->side,
                  "Side on which trim-and-fill imputes studies: left or right (default: from the "
                  "sign of Egger's slope, as metafor)");
  cmd->add_option("--n", args->n_column,
                  "Column with total sample sizes for Peters' test (default: n_t + n_c or n1 + "
                  "n2 when the input has them)");
  cmd->add_option("--alpha", args->alpha, "Significance level of the fail-safe N (default 0.05)")
      ->check(CLI::Range(1e-6, 0.5));
  cmd->callback([args, &action] { action = [args] { return run_bias(*args); }; });
}

}  // namespace srma::cli
