// Registration of the subcommands: each adds itself to the app and, when chosen, sets `action`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace srma::cli {

void add_pool_command(CLI::App& app, std::function<int()>& action);
void add_forest_command(CLI::App& app, std::function<int()>& action);
void add_radial_command(CLI::App& app, std::function<int()>& action);
void add_labbe_command(CLI::App& app, std::function<int()>& action);
void add_qqnorm_command(CLI::App& app, std::function<int()>& action);
void add_drapery_command(CLI::App& app, std::function<int()>& action);
void add_funnel_command(CLI::App& app, std::function<int()>& action);
void add_sensitivity_commands(CLI::App& app, std::function<int()>& action);
void add_bias_command(CLI::App& app, std::function<int()>& action);
void add_metareg_commands(CLI::App& app, std::function<int()>& action);
void add_run_command(CLI::App& app, std::function<int()>& action);
void add_gosh_command(CLI::App& app, std::function<int()>& action);
void add_prisma_command(CLI::App& app, std::function<int()>& action);
void add_km_command(CLI::App& app, std::function<int()>& action);
void add_review_command(CLI::App& app, std::function<int()>& action);
void add_batch_command(CLI::App& app, std::function<int()>& action);
void add_serve_command(CLI::App& app, std::function<int()>& action);

}  // namespace srma::cli
