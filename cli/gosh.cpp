// srma gosh: the GOSH plot (I^2 against the pooled estimate of every subset of the studies) as
// SVG, PDF or PNG, with a summary (or --json) on standard output, optional cluster diagnostics and
// every fit streamed to --out. Parsing, progress, Ctrl-C and files only: the subsets come from
// srma::gosh_stream, the diagnostics from srma::diagnose_gosh, the words from
// srma/report/gosh_report.hpp and the figure from srma::plot::draw_gosh.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/gosh_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/report/gosh_report.hpp"
#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"

namespace srma::cli {
namespace {

struct gosh_args : analysis_args {
  std::string output;
  std::uint64_t max_subsets = 1'000'000;
  std::uint64_t seed = 1;
  std::string highlight;
  std::size_t bin_above = 20000;
  bool no_histograms = false;
  std::string title;
  double dpi = 150;
  std::string out;
  bool json = false;
  bool diagnostics = false;
  std::string cluster_method = "kmeans";
  unsigned threads = 0;
};

// Set by SIGINT; the workers poll it between chunks of subsets.
std::atomic<bool> g_interrupted{false};
void on_gosh_sigint(int /*signal*/) { g_interrupted.store(true); }

// The study --highlight names: a label (exact, else ignoring case), else a number 1..k.
expected<std::size_t> find_study(const study_table& s, const std::string& name) {
  for (std::size_t i = 0; i < s.k(); ++i) {
    if (s.study[i] == name) return i;
  }
  for (std::size_t i = 0; i < s.k(); ++i) {
    if (s.study[i].size() == name.size() &&
        std::equal(name.begin(), name.end(), s.study[i].begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return i;
    }
  }
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos &&
      name.size() < 10) {
    const auto n = std::stoul(name);
    if (n >= 1 && n <= s.k()) return n - 1;
  }
  return fail(srma::errc::cli_bad_value,
              fmt::format("--highlight '{}': no such study; expected a study label ({}) or a "
                          "number from 1 to {}",
                          name, fmt::join(s.study, ", "), s.k()));
}

// Writes every fit to --out: CSV when the name ends in .csv, else srma's binary GOSH format
// (docs/cli.md): a 32-byte header, then per fit `words` little-endian uint64 mask words and the
// estimate, Q, I2, H2 and tau2 as float64. Blocks are written whole, so the file always ends at
// a whole record.
class fit_writer {
 public:
  fit_writer(std::string path, std::size_t k) : path_(std::move(path)), k_(k) {
    csv_ = path_.size() >= 4 && path_.compare(path_.size() - 4, 4, ".csv") == 0;
  }
  ~fit_writer() {
    if (f_) std::fclose(f_);
  }
  fit_writer(const fit_writer&) = delete;
  fit_writer& operator=(const fit_writer&) = delete;

  expected<void> open() {
    f_ = std::fopen(path_.c_str(), csv_ ? "w" : "wb");
    if (!f_) return failure();
    std::setvbuf(f_, nullptr, _IOFBF, std::size_t{1} << 20);
    if (csv_) {
      ok_ = std::fputs("index,studies,k,estimate,Q,I2,H2,tau2\n", f_) >= 0;
    } else {
      unsigned char header[32] = {};
      constexpr std::array<unsigned char, 8> k_magic = {'S', 'R', 'M', 'A', 'G', 'O', 'S', 'H'};
      std::copy(k_magic.begin(), k_magic.end(), header);
      const std::uint32_t fields[4] = {1, static_cast<std::uint32_t>(k_),
                                       static_cast<std::uint32_t>((k_ + 63) / 64),
                                       static_cast<std::uint32_t>(((k_ + 63) / 64) * 8 + 40)};
      std::memcpy(header + 8, fields, sizeof fields);
      ok_ = std::fwrite(header, 1, sizeof header, f_) == sizeof header;
    }
    return ok_ ? expected<void>{} : failure();
  }

  bool write(const gosh_fit_block& b) {
    if (!ok_) return false;
    line_.clear();
    for (std::size_t i = 0; i < b.fits(); ++i) {
      const std::uint64_t* mask = &b.masks[i * b.words];
      if (csv_) {
        std::string bits(k_, '0');
        for (std::size_t s = 0; s < k_; ++s) {
          if ((mask[s / 64] >> (s % 64)) & 1u) bits[s] = '1';
        }
        auto num = [](double x) {
          return std::isnan(x) ? std::string("NA") : fmt::format("{:.17g}", x);
        };
        fmt::format_to(std::back_inserter(line_), "{},{},{},{},{},{},{},{}\n", b.first + i, bits,
                       b.size[i], num(b.estimate[i]), num(b.Q[i]), num(b.I2[i]), num(b.H2[i]),
                       num(b.tau2[i]));
      } else {
        const double v[5] = {b.estimate[i], b.Q[i], b.I2[i], b.H2[i], b.tau2[i]};
        const auto* mp = reinterpret_cast<const char*>(mask);
        line_.append(mp, b.words * 8);
        line_.append(reinterpret_cast<const char*>(v), sizeof v);
      }
    }
    ok_ = std::fwrite(line_.data(), 1, line_.size(), f_) == line_.size();
    records_ += b.fits();
    return ok_;
  }

  expected<void> close() {
    if (!f_) return {};
    const bool closed = std::fclose(f_) == 0;
    f_ = nullptr;
    if (!ok_ || !closed) return failure();
    return {};
  }

  [[nodiscard]] std::uint64_t records() const { return records_; }
  [[nodiscard]] bool csv() const { return csv_; }

 private:
  unexpected failure() const {
    return fail(srma::errc::output_unwritable,
                fmt::format("cannot write the GOSH fits to '{}': {}", path_, std::strerror(errno)));
  }
  std::string path_;
  std::size_t k_;
  bool csv_ = false, ok_ = true;
  std::FILE* f_ = nullptr;
  std::string line_;
  std::uint64_t records_ = 0;
};

std::string human_rate(double per_second) {
  if (per_second >= 1e9) return fmt::format("{:.2f} G", per_second / 1e9);
  if (per_second >= 1e6) return fmt::format("{:.1f} M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f} k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

std::string clock_time(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

int run_gosh(const gosh_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  const auto method = parse_gosh_cluster_method(args.cluster_method);
  if (!method) {
    return report_error(
        {srma::errc::cli_bad_value,
         fmt::format("--cluster-method '{}': expected kmeans, dbscan or gmm", args.cluster_method),
         {}});
  }
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());

  plot::gosh_plot_options o;
  o.measure = studies->measure;
  o.title = args.title;
  o.bin_above = args.bin_above;
  o.histograms = !args.no_histograms;
  o.clusters = *method;
  if (!args.highlight.empty()) {
    auto i = find_study(*studies, args.highlight);
    if (!i) return report_error(i.error());
    o.highlight = *i;
    o.highlight_label = studies->study[*i];
  }

  gosh_stream_options g;
  g.max_subsets = args.max_subsets;
  g.seed = args.seed;
  g.threads = args.threads;
  g.highlight = o.highlight;
  g.cancel = &g_interrupted;
  // The sample of fits feeds the diagnostics and, when the figure draws every fit as a point,
  // the figure; a run that needs neither does without it (no hashing of every fit).
  const std::size_t k = studies->k();
  const std::uint64_t subsets = k < 64 && (std::uint64_t{1} << k) - 1 <= args.max_subsets
                                    ? (std::uint64_t{1} << k) - 1
                                    : args.max_subsets;
  if (!args.diagnostics && subsets > args.bin_above) g.sample_size = 0;
  const auto started = std::chrono::steady_clock::now();
  const bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    g.progress = [started](std::uint64_t done, std::uint64_t total) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double frac =
          static_cast<double>(done) / static_cast<double>(std::max<std::uint64_t>(total, 1));
      const int width = 30;
      const int filled = static_cast<int>(width * frac);
      const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
      const std::string eta =
          rate > 0 ? clock_time(static_cast<double>(total - done) / rate) : std::string("?");
      fmt::print(stderr, "\r[{:=<{}}{:<{}}] {:5.1f}%  {} subsets/s  {}   ", "", filled, "",
                 width - filled, 100 * frac, human_rate(rate),
                 done == total ? "done in " + clock_time(secs) : "ETA " + eta);
      if (done == total) fmt::print(stderr, "\n");
    };
  }
  std::unique_ptr<fit_writer> writer;
  if (!args.out.empty()) {
    writer = std::make_unique<fit_writer>(args.out, studies->k());
    if (auto ok = writer->open(); !ok) return report_error(ok.error());
    g.sink = [w = writer.get()](const gosh_fit_block& b) { return w->write(b); };
  }

  g_interrupted = false;
  auto previous = std::signal(SIGINT, on_gosh_sigint);
  auto r = gosh_stream(studies->yi, studies->vi, *options, g);
  std::signal(SIGINT, previous == SIG_ERR ? SIG_DFL : previous);
  if (tty && r && (r->interrupted || r->stopped)) fmt::print(stderr, "\n");
  if (!r) return report_error(r.error());
  if (writer) {
    if (auto ok = writer->close(); !ok) return report_error(ok.error());
  }
  if (r->interrupted) {
    fmt::print(stderr, "srma: interrupted after {} of {} subsets; no figure written{}.\n", r->done,
               r->subsets,
               writer ? fmt::format("; {} holds the first {} fits, each record whole", args.out,
                                    writer->records())
                      : std::string());
    return 130;  // 128 + SIGINT, as shells report it
  }

  std::optional<gosh_diagnostics> diag;
  if (args.diagnostics) {
    auto d = diagnose_gosh(r->sample, r->k);
    if (!d) return report_error(d.error());
    diag = std::move(*d);
  }
  auto figure = plot::draw_gosh(*r, o, diag ? &*diag : nullptr);
  if (!figure) return report_error(figure.error());
  if (auto ok = plot::save(*figure, args.output, render); !ok) return report_error(ok.error());
  if (args.json) {
    auto j = to_json(*r, diag ? &*diag : nullptr, studies->study);
    j["caption"] = plot::gosh_caption(*r, o, diag ? &*diag : nullptr);
    fmt::print("{}\n", j.dump(2));
    return exit_code::ok;
  }
  fmt::print("{}", full_report(*r, diag ? &*diag : nullptr, studies->study, studies->measure));
  if (writer) {
    fmt::print("Every fit written to {} ({}, {} records).\n", args.out,
               writer->csv() ? "CSV" : "srma binary GOSH format", writer->records());
  }
  fmt::print("Suggested caption: {}\n", plot::gosh_caption(*r, o, diag ? &*diag : nullptr));
  return exit_code::ok;
}

}  // namespace

void add_gosh_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<gosh_args>();
  auto* cmd = app.add_subcommand(
      "gosh",
      "GOSH plot (SVG, PDF or PNG): I^2 against the pooled estimate of every subset of studies");
  args->add_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--max-subsets", args->max_subsets,
                  "Fit every subset when there are at most this many (2^k - 1), else this many "
                  "random subsets (default 1000000, as metafor)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{limits::max_gosh_subsets}));
  cmd->add_option("--seed", args->seed, "Seed of the random subsets (default 1)");
  cmd->add_option("--highlight", args->highlight,
                  "Study whose subsets are drawn in red (the others in blue): its label or "
                  "number");
  cmd->add_option("--bin-above", args->bin_above,
                  "Draw subsets as points up to this many, else bin them (default 20000)")
      ->check(CLI::Range(std::size_t{1}, limits::max_gosh_subsets));
  cmd->add_flag("--no-histograms", args->no_histograms, "Leave out the marginal histograms");
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  cmd->add_option("--out", args->out,
                  "Write every fit to this file as it is computed: CSV if it ends in .csv, else "
                  "srma's binary GOSH format (docs/cli.md)");
  cmd->add_flag("--json", args->json, "Print one JSON object instead of the text summary");
  cmd->add_flag("--diagnostics", args->diagnostics,
                "Cluster the subsets (k-means, DBSCAN, Gaussian mixture), name the studies that "
                "drive a cluster and colour the figure by cluster");
  cmd->add_option("--cluster-method", args->cluster_method,
                  "Clustering that colours the figure with --diagnostics: kmeans (default), "
                  "dbscan or gmm");
  cmd->add_option("--threads", args->threads, "Worker threads (default: one per core)");
  cmd->callback([args, &action] { action = [args] { return run_gosh(*args); }; });
}

}  // namespace srma::cli
