// srma batch: every meta-analysis of a long-format file, pooled in parallel, one result row each
// (srma/model/batch.hpp), streamed to stdout or --out in input order.
#include "srma/model/batch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma::cli {
namespace {

struct batch_args : analysis_args {
  std::string id;
  std::string out;
  std::string format;
  std::string shard;
  bool quiet = false;
};

std::atomic<bool> g_stop{false};

extern "C" void batch_on_sigint(int /*signal*/) { g_stop.store(true); }

// Ctrl-C sets g_stop while the batch runs (a second one kills as usual).
class sigint_guard {
 public:
  sigint_guard() {
    struct sigaction sa {};
    sa.sa_handler = batch_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_);
  }
  sigint_guard(const sigint_guard&) = delete;
  sigint_guard& operator=(const sigint_guard&) = delete;
  ~sigint_guard() { sigaction(SIGINT, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

// "I/N" -> (I, N).
expected<std::pair<std::size_t, std::size_t>> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  std::size_t i = 0;
  std::size_t n = 0;
  try {
    std::size_t used = 0;
    if (slash == std::string::npos) throw std::invalid_argument("no /");
    i = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("I");
    n = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("N");
  } catch (const std::exception&) {
    return fail(
        errc::cli_bad_value,
        fmt::format("--shard {}: expected I/N, e.g. 3/10 for the third of ten shards", text));
  }
  if (n < 1 || i < 1 || i > n || n > 1000000) {
    return fail(errc::cli_bad_value,
                fmt::format("--shard {}: expected 1 <= I <= N <= 1000000", text));
  }
  return std::pair{i, n};
}

// "[######    ] 45%  12,345 meta-analyses  8,012/s  ETA 3 s" on one line of a terminal.
class progress_bar {
 public:
  explicit progress_bar(bool on) : on_(on), start_(clock::now()) {}
  void update(const batch_progress& p) {
    if (!on_) return;
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    const double rate = secs > 0 ? static_cast<double>(p.analyses) / secs : 0;
    std::string line;
    if (p.total_bytes > 0) {
      const double f =
          std::min(1.0, static_cast<double>(p.bytes) / static_cast<double>(p.total_bytes));
      const int filled = static_cast<int>(f * 24);
      const double eta = f > 0 ? secs * (1 - f) / f : 0;
      line = fmt::format("[{}{}] {:3.0f}%  {:L} meta-analyses  {:.0f}/s  ETA {:.0f} s",
                         std::string(static_cast<std::size_t>(filled), '#'),
                         std::string(static_cast<std::size_t>(24 - filled), ' '), 100 * f,
                         p.analyses, rate, eta);
    } else {
      line = fmt::format("{} meta-analyses  {:.0f}/s", p.analyses, rate);
    }
    if (p.failed > 0) line += fmt::format("  ({} failed)", p.failed);
    fmt::print(stderr, "\r{}\x1b[K", line);
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() const {
    if (shown_) fmt::print(stderr, "\r\x1b[K");
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  clock::time_point start_;
  bool shown_ = false;
};

int run_batch(const batch_args& args) {
  batch_options o;
  o.id_column = args.id;
  auto reading = args.reading();
  if (!reading) return report_error(reading.error());
  o.reading = *reading;
  auto pooling = args.pooling();
  if (!pooling) return report_error(pooling.error());
  o.pooling = *pooling;
  o.method_given = args.method_opt && args.method_opt->count();
  if (!args.shard.empty()) {
    auto s = parse_shard(args.shard);
    if (!s) return report_error(s.error());
    o.shard = s->first;
    o.shards = s->second;
  }
  std::string format = args.format;
  if (format.empty()) {
    const auto& p = args.out;
    const bool json = (p.size() >= 6 && p.compare(p.size() - 6, 6, ".jsonl") == 0) ||
                      (p.size() >= 5 && p.compare(p.size() - 5, 5, ".json") == 0);
    format = json ? "jsonl" : "csv";
  }
  const bool json = format == "jsonl";

  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!args.out.empty() && args.out != "-") {
    file.reset(std::fopen(args.out.c_str(), "wb"));
    if (!file) {
      return report_error(error{errc::output_unwritable,
                                fmt::format("cannot write '{}' (the folder must exist and be "
                                            "writable)",
                                            args.out),
                                {args.out, 0, 0},
                                {}});
    }
    out = file.get();
  }
  std::vector<char> buffer(std::size_t{1} << 20);
  std::setvbuf(out, buffer.data(), _IOFBF, buffer.size());
  bool write_failed = false;
  auto put = [&](std::string_view s) {
    if (std::fwrite(s.data(), 1, s.size(), out) != s.size()) write_failed = true;
  };
  // The header (CSV, shard 1 only) comes with the first results, so that an error of the whole
  // file before any result leaves standard output empty.
  bool started = false;
  auto start = [&] {
    if (started) return;
    started = true;
    if (!json && o.shard == 1) put(batch_csv_header(o.id_column));
  };

  std::string chunk;
  std::vector<std::string> lines;
  auto sink = [&](std::span<const batch_result> rows) -> expected<void> {
    start();
    // The step's records are formatted on every core (in input order, as they are written).
    lines.assign(rows.size(), std::string());
    detail::parallel_for(
        rows.size(),
        [&](std::size_t i) {
          lines[i] = json ? batch_json_line(rows[i], o.id_column) : batch_csv_row(rows[i]);
        },
        256);
    chunk.clear();
    for (const auto& line : lines) chunk += line;
    put(chunk);
    std::fflush(out);  // each step ends at a whole record
    if (write_failed) {
      return fail(errc::output_unwritable,
                  fmt::format("cannot write '{}'", args.out.empty() ? "stdout" : args.out));
    }
    return {};
  };
  progress_bar bar(!args.quiet && isatty(fileno(stderr)) != 0);
  batch_control control;
  control.stop = &g_stop;
  control.progress = [&](const batch_progress& p) { bar.update(p); };
  g_stop.store(false);
  sigint_guard guard;
  auto summary = pool_batch(args.file, o, sink, control);
  bar.clear();
  if (!summary) {
    // The output so far is whole records; say where it stops.
    if (started) {
      put(json ? fmt::format("{{\"stopped_by_error\":\"{}\"}}\n", summary.error().id)
               : fmt::format("# stopped by error {}; the rows above are complete\n",
                             summary.error().id));
      std::fflush(out);
    }
    return report_error(summary.error());
  }
  start();
  if (summary->interrupted) {
    put(json ? fmt::format("{{\"interrupted\":true,\"analyses\":{}}}\n", summary->analyses)
             : fmt::format("# interrupted after {} meta-analyses; the rows above are complete\n",
                           summary->analyses));
    std::fflush(out);
    fmt::print(stderr,
               "srma: interrupted: {} meta-analyses written{}, each whole; the output says so "
               "in its last line\n",
               summary->analyses, args.out.empty() ? "" : " to " + args.out);
    return 130;
  }
  std::fflush(out);
  if (write_failed) {
    return report_error(
        error{errc::output_unwritable,
              fmt::format("cannot write '{}'", args.out.empty() ? "stdout" : args.out),
              {},
              {}});
  }
  if (summary->failed > 0) {
    fmt::print(stderr,
               "srma: {} of {} meta-analyses failed; their rows give the error (column error)\n",
               summary->failed, summary->analyses);
    return exit_code::model;
  }
  return exit_code::ok;
}

}  // namespace

void add_batch_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<batch_args>();
  auto* cmd = app.add_subcommand(
      "batch",
      "Pool every meta-analysis of a long-format file (one row per study, --id names the "
      "meta-analysis): in parallel, one result row each, in input order");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("--id", args->id,
                  "Column naming the meta-analysis of each row (its rows "
                  "must be together: sort the file by it)")
      ->required();
  cmd->add_option("--out", args->out,
                  "Write the results here (.csv, or .jsonl for one JSON object per line); "
                  "default: CSV on stdout");
  cmd->add_option("--format", args->format, "csv or jsonl (default: from --out's extension)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--shard", args->shard,
                  "I/N: pool only the I-th of N shards (contiguous runs of meta-analyses by "
                  "byte position); the N outputs concatenated in order equal one run");
  cmd->add_flag("--quiet", args->quiet, "No progress bar (it is shown only on a terminal)");
  cmd->footer(
      "Columns: the id column, k, estimate, se, ci_lower, ci_upper, pi_lower, pi_upper, tau2, "
      "tau2_ci_lower, tau2_ci_upper, Q, I2, model, notes, error (analysis scale; NA when not "
      "available). Exit code 4 when some meta-analyses failed (their rows say why), 130 when "
      "interrupted (Ctrl-C: the output ends at a whole row and a last line says so).");
  cmd->callback([args, &action] { action = [args] { return run_batch(*args); }; });
}

}  // namespace srma::cli
