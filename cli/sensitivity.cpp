// srma leave1out | cumulative | influence: sensitivity analyses of the pooled model, as text or
// JSON (the statistics live in srma::core; this file parses, calls and prints).
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/cumulative.hpp"
#include "srma/influence.hpp"
#include "srma/json.hpp"
#include "srma/leave1out.hpp"

namespace srma::cli {
namespace {

struct sensitivity_args : analysis_args {
  bool json = false;
  std::string order;
};

// Loads, runs `analyse` and prints its text or JSON; nothing is printed on error.
template <typename Analyse>
int run(const sensitivity_args& args, Analyse analyse) {
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());
  auto r = analyse(*studies, *options);
  if (!r) return report_error(r.error());
  if (args.json) {
    auto j = to_json(*r);
    j["input"] = input_json(*studies);
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{}", r->full_report());
  }
  return exit_code::ok;
}

CLI::App* add_command(CLI::App& app, const char* name, const char* help,
                      const std::shared_ptr<sensitivity_args>& args) {
  auto* cmd = app.add_subcommand(name, help);
  args->add_to(*cmd);
  cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
  return cmd;
}

}  // namespace

void add_sensitivity_commands(CLI::App& app, std::function<int()>& action) {
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "leave1out",
                            "Leave-one-out analysis: the model refitted without each study", args);
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args, [](const study_table& s, const pool_options& o) { return leave1out(s, o); });
      };
    });
  }
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "cumulative",
                            "Cumulative meta-analysis: studies added one at a time", args);
    cmd->add_option("--order", args->order,
                    "Column to order the studies by (e.g. year); default: input order");
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args, [&](const study_table& s, const pool_options& o) {
          return cumulative(s, args->order, o);
        });
      };
    });
  }
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "influence",
                            "Influence diagnostics (residuals, DFFITS, Cook's distance, ...) and "
                            "Baujat coordinates",
                            args);
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args, [](const study_table& s, const pool_options& o) { return influence(s, o); });
      };
    });
  }
}

}  // namespace srma::cli
