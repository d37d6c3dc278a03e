// srma pool: pooled estimate, heterogeneity and (with --by) subgroups, as text or JSON.
#include "srma/model/pool.hpp"

#include <fmt/format.h>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"

namespace srma::cli {
namespace {

struct pool_args : analysis_args {
  std::string by;
  bool json = false;
};

int run_pool(const pool_args& args) {
  // Only the columns this command uses are kept: memory in proportion to them (issue 14).
  std::vector<std::string> used;
  if (!args.by.empty()) used.push_back(args.by);
  auto studies = load_studies(args, std::move(used));
  if (!studies) return report_error(studies.error());
  auto options = args.pooling_for(*studies);
  if (!options) return report_error(options.error());
  std::string out;
  if (!args.by.empty()) {
    auto s = pool_subgroups(*studies, args.by, *options);
    if (!s) return report_error(s.error());
    if (args.json) {
      auto j = to_json(*s);
      j["input"] = input_json(*studies);
      out = j.dump(2) + "\n";
    } else {
      out = full_report(*s);
    }
  } else {
    // The text report needs only the excluded rows afterwards: the labels are moved into the
    // result, not copied (inverse variance; Mantel-Haenszel and Peto read the table's counts).
    std::vector<excluded_study> excluded;
    const bool consume = !args.json && options->method == pooling_method::inverse_variance;
    if (consume) excluded = std::move(studies->excluded);
    auto r = consume ? pool(std::move(*studies), *options) : pool_2x2(*studies, *options);
    if (!r) return report_error(r.error());
    if (!consume) excluded = studies->excluded;
    if (args.json) {
      auto j = to_json(*r);
      j["input"] = input_json(*studies);
      out = j.dump(2) + "\n";
    } else {
      out = full_report(*r);
      if (!excluded.empty()) {
        out += "\nLeft out of the analysis\n";
        for (const auto& e : excluded)
          out += fmt::format("  - {} (line {}): {}\n", e.study, e.line, e.reason);
      }
    }
  }
  fmt::print("{}", out);
  return exit_code::ok;
}

}  // namespace

void add_pool_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<pool_args>();
  auto* cmd = app.add_subcommand("pool",
                                 "Pool study effects: common and random effects, "
                                 "heterogeneity, subgroups");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("--by", args->by, "Column that defines subgroups (e.g. location)");
  cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
  cmd->footer(
      "Hazard ratios may be given in a different form per row; each row uses the most reliable "
      "column set it fills: hr,lower,upper[,level] | loghr,se | oe,v | o_t,e_t,o_c,e_c | "
      "chisq with v,direction or oe | hr,p[,p_test] | p,events,n_t,n_c,direction | "
      "p,events_t,events_c,direction (optional hr_source names the route; docs/cli.md). With "
      "--json, input.studies[] gives each study's route (source), O - E and V.");
  cmd->callback([args, &action] { action = [args] { return run_pool(*args); }; });
}

}  // namespace srma::cli
