// dedup_score: scores srma's de-duplication (srma/records/dedup.hpp) on labelled sets of
// bibliographic records and times it on 50,000 synthetic records.
//
// The labelled sets are those of ../shared/benchmarks/dedup (bib-dedupe's haematology,
// respiratory, cytology_screening and digital_work; see ../shared/benchmarks/README.md for
// origin and licence): per set, records.csv (ID, title, year, author joined by " and ", pages,
// volume, number, ENTRYTYPE, journal, and in digital_work abstract, doi, isbn, booktitle) and
// duplicate_groups.csv (merged_ids: the IDs of one group joined by ";"; records in no group are
// unique). Scores are pairwise: every pair of records inside one group is a duplicate pair;
// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean. A set folder
// with ASySD's labelled_test_set.csv instead (the Diabetes set of Hair et al. 2023; scored by
// records, see read_asysd_set) is read too; diabetes_asysd is scored by default when present.
//
// The synthetic run perturbs real records the ways databases differ (case, punctuation, dashes,
// author initials against full names and MEDLINE "Last IN", missing fields, DOI as URL, doi: or
// bare, a trailing period, a year one later) and makes distinct articles from real ones by
// replacing title words, authors and pages; it reports seconds and its own precision/recall.
//
// Usage: dedup_score [DATA_DIR] [--sets a,b] [--check] [--min-recall R] [--min-precision P]
//                    [--min-recall-for SET=R ...] [--synthetic N] [--max-seconds S]
//                    [--show-errors K] [--show-uncertain K] [--notices with-article]
// DATA_DIR defaults to $SRMA_DEDUP_DATA, else ../shared/benchmarks/dedup beside the source
// tree. With --check the exit status is 1 when a set misses a threshold (recall 0.98, precision
// 0.995 by default; --min-recall-for sets another recall floor for one set) or the synthetic
// run takes longer than --max-seconds; 77 (skipped) when the data are absent. --synthetic 0
// skips the synthetic run; --show-errors K prints K false positive and K false negative pairs;
// --show-uncertain K prints K uncertain pairs that the labels call different articles;
// --notices with-article groups errata with their articles (srma::notice_policy).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/records/dedup.hpp"
#include "srma/records/record.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + sep.size();
  }
  return out;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct labelled_set {
  std::string name;
  std::vector<srma::bib_record> records;
  std::vector<std::vector<std::size_t>> truth;  // groups of indices
  // ASySD's labelled set gives no groups, only which record of each article is kept (1) and
  // which are its duplicates (0); `truth` is empty then.
  std::vector<char> kept;
};

// ASySD's labelled test set (camaradesuk/ASySD tests/testthat/labelled_test_set.csv; Hair et al.
// 2023's Diabetes set): author (names run together, "Adeli K.Lewis G. F."), title, year,
// journal, abstract, doi, number, pages, volume, isbn, record_id, label, source; "NA" is a
// missing value. The truth is `source`: "unique" is the one record kept of each article (584),
// "duplicate" a copy to remove (1,261), as Hair et al. count (ASySD: 1,259 TP, 2 FN, 0 FP).
// (`label`, a database's In_database/Duplicate_in_trash, keeps several copies of one article.)
bool read_asysd_set(const fs::path& file, labelled_set& set, std::string& problem) {
  auto table = srma::read_csv(file.string());
  if (!table) {
    problem = table.error().what();
    return false;
  }
  const int c_label = table->find_column("label");
  const int c_title = table->find_column("title");
  if (c_label < 0 || c_title < 0) {
    problem = "labelled_test_set.csv has no label or title column";
    return false;
  }
  for (const auto& row : table->rows) {
    auto get = [&](const char* name) {
      const int c = table->find_column(name);
      std::string v = c >= 0 ? trimmed(row.fields[static_cast<std::size_t>(c)]) : std::string();
      return v == "NA" ? std::string() : v;
    };
    srma::bib_record r;
    r.id = get("record_id");
    r.title = get("title");
    r.year = get("year");
    // "Adeli K.Lewis G. F.": a new name starts where a capital follows a full stop.
    const std::string authors = get("author");
    std::string name;
    for (std::size_t k = 0; k < authors.size(); ++k) {
      name += authors[k];
      if (authors[k] == '.' && k + 1 < authors.size() && authors[k + 1] >= 'A' &&
          authors[k + 1] <= 'Z') {
        r.authors.push_back(trimmed(name));
        name.clear();
      }
    }
    if (!trimmed(name).empty()) r.authors.push_back(trimmed(name));
    r.journal = get("journal");
    r.abstract = get("abstract");
    r.doi = get("doi");
    r.issue = get("number");
    r.pages = get("pages");
    r.volume = get("volume");
    r.isbn = get("isbn");
    r.line = row.line;
    set.kept.push_back(get("source") == "unique" ? 1 : 0);
    set.records.push_back(std::move(r));
  }
  return true;
}

// Reads one bib-dedupe set; the columns are mapped onto bib_record here (the record parsers of
// srma/records/import.hpp are not needed for this CSV).
bool read_set(const fs::path& dir, labelled_set& set, std::string& problem) {
  if (!fs::exists(dir / "records.csv") && fs::exists(dir / "labelled_test_set.csv"))
    return read_asysd_set(dir / "labelled_test_set.csv", set, problem);
  auto table = srma::read_csv((dir / "records.csv").string());
  if (!table) {
    problem = table.error().what();
    return false;
  }
  auto col = [&](const char* name) { return table->find_column(name); };
  const int c_id = col("ID");
  const int c_title = col("title");
  const int c_year = col("year");
  const int c_author = col("author");
  const int c_pages = col("pages");
  const int c_volume = col("volume");
  const int c_number = col("number");
  const int c_type = col("ENTRYTYPE");
  const int c_journal = col("journal");
  const int c_booktitle = col("booktitle");
  const int c_doi = col("doi");
  const int c_isbn = col("isbn");
  const int c_abstract = col("abstract");
  if (c_id < 0 || c_title < 0) {
    problem = "records.csv has no ID or title column";
    return false;
  }
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& row : table->rows) {
    auto get = [&](int c) {
      return c >= 0 ? trimmed(row.fields[static_cast<std::size_t>(c)]) : std::string();
    };
    srma::bib_record r;
    r.id = get(c_id);
    r.title = get(c_title);
    r.year = get(c_year);
    for (auto& a : split(get(c_author), " and "))
      if (!trimmed(a).empty()) r.authors.push_back(trimmed(a));
    r.pages = get(c_pages);
    r.volume = get(c_volume);
    r.issue = get(c_number);
    r.type = get(c_type);
    r.journal = get(c_journal);
    if (r.journal.empty()) r.journal = get(c_booktitle);
    r.doi = get(c_doi);
    r.isbn = get(c_isbn);
    r.abstract = get(c_abstract);
    r.line = row.line;
    index[r.id] = set.records.size();
    set.records.push_back(std::move(r));
  }
  auto groups = srma::read_csv((dir / "duplicate_groups.csv").string());
  if (!groups) {
    problem = groups.error().what();
    return false;
  }
  const int c_ids = groups->find_column("merged_ids");
  if (c_ids < 0) {
    problem = "duplicate_groups.csv has no merged_ids column";
    return false;
  }
  for (const auto& row : groups->rows) {
    std::vector<std::size_t> g;
    for (const auto& id : split(row.fields[static_cast<std::size_t>(c_ids)], ";")) {
      const auto it = index.find(trimmed(id));
      if (it == index.end()) {
        problem = fmt::format("duplicate_groups.csv line {}: unknown ID '{}'", row.line, id);
        return false;
      }
      g.push_back(it->second);
    }
    if (g.size() >= 2) set.truth.push_back(std::move(g));
  }
  return true;
}

std::uint64_t code(std::size_t a, std::size_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

std::set<std::uint64_t> pairs_of(const std::vector<std::vector<std::size_t>>& groups) {
  std::set<std::uint64_t> out;
  for (const auto& g : groups)
    for (std::size_t x = 0; x < g.size(); ++x)
      for (std::size_t y = x + 1; y < g.size(); ++y) out.insert(code(g[x], g[y]));
  return out;
}

struct score {
  std::size_t tp = 0, fp = 0, fn = 0;
  [[nodiscard]] double precision() const {
    return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp);
  }
  [[nodiscard]] double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn); }
  [[nodiscard]] double f1() const {
    const double p = precision();
    const double r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

score score_groups(const std::vector<std::vector<std::size_t>>& found,
                   const std::vector<std::vector<std::size_t>>& truth,
                   std::vector<std::uint64_t>* false_pos = nullptr,
                   std::vector<std::uint64_t>* false_neg = nullptr) {
  const auto f = pairs_of(found);
  const auto t = pairs_of(truth);
  score s;
  for (auto p : f) {
    if (t.count(p)) {
      ++s.tp;
    } else {
      ++s.fp;
      if (false_pos) false_pos->push_back(p);
    }
  }
  for (auto p : t)
    if (!f.count(p)) {
      ++s.fn;
      if (false_neg) false_neg->push_back(p);
    }
  return s;
}

// Record-level counts as bib-dedupe's evaluation and Hair et al. (2023) report them: a record
// removed (not the first of its found group) is a true positive when it is in a true group
// with the record kept, else a false positive; the false negatives are the removals the truth
// asks for (group size - 1 per true group) that were not made.
score score_records(const std::vector<std::vector<std::size_t>>& found,
                    const std::vector<std::vector<std::size_t>>& truth, std::size_t n) {
  std::vector<std::size_t> true_group(n, static_cast<std::size_t>(-1));
  for (std::size_t g = 0; g < truth.size(); ++g)
    for (auto m : truth[g]) true_group[m] = g;
  score s;
  std::size_t should = 0;
  for (const auto& g : truth) should += g.size() - 1;
  for (const auto& g : found)
    for (std::size_t k = 1; k < g.size(); ++k) {
      if (true_group[g[k]] != static_cast<std::size_t>(-1) && true_group[g[k]] == true_group[g[0]])
        ++s.tp;
      else
        ++s.fp;
    }
  s.fn = should - s.tp;
  return s;
}

// Record-level counts when only the kept record of each article is known (ASySD's labels): in a
// found group, the removed records (all but one) are right as far as there are duplicates in
// the group and wrong for every kept record beyond the first (two different articles were
// merged); the duplicates not removed are missed.
score score_kept(const std::vector<std::vector<std::size_t>>& found,
                 const std::vector<char>& kept) {
  score s;
  std::size_t should = 0;
  for (char k : kept) should += k == 0 ? 1 : 0;
  for (const auto& g : found) {
    std::size_t kept_in = 0;
    for (auto m : g) kept_in += kept[m] != 0 ? 1 : 0;
    const std::size_t copies_in = g.size() - kept_in;
    s.tp += std::min(g.size() - 1, copies_in);
    s.fp += kept_in > 1 ? kept_in - 1 : 0;
  }
  s.fn = should - s.tp;
  return s;
}

void print_record(const srma::bib_record& r) {
  std::string authors;
  for (std::size_t k = 0; k < r.authors.size() && k < 4; ++k)
    authors += (k ? "; " : "") + r.authors[k];
  fmt::print("    {} | {} | {} | {} | {} | vol {} | pp {} | {} | {}\n", r.id, r.title.substr(0, 90),
             authors.substr(0, 60), r.year, r.journal.substr(0, 40), r.volume, r.pages, r.type,
             r.doi);
}

void show_pairs(const char* what, const std::vector<std::uint64_t>& pairs, const labelled_set& set,
                std::size_t limit) {
  for (std::size_t k = 0; k < pairs.size() && k < limit; ++k) {
    const auto a = static_cast<std::size_t>(pairs[k] >> 32);
    const auto b = static_cast<std::size_t>(pairs[k] & 0xFFFFFFFFu);
    const auto c = srma::compare_records(set.records[a], set.records[b]);
    fmt::print("  {} {}: {} ({}), score {:.3f}, title {:.3f}, authors {:.3f}\n", what, k + 1,
               srma::to_string(c.decision), srma::to_string(c.reason), c.score,
               c.title.value_or(-1), c.authors.value_or(-1));
    print_record(set.records[a]);
    print_record(set.records[b]);
  }
}

// For sets scored by score_kept: groups that merge kept records, and duplicates that are in no
// group with a kept record (one per group), each with the kept record that scores highest
// among those with a similar title.
void show_kept_errors(const std::vector<std::vector<std::size_t>>& found, const labelled_set& set,
                      std::size_t limit) {
  std::vector<std::vector<std::size_t>> parts = found;  // groups, then ungrouped records
  std::vector<char> grouped(set.records.size(), 0);
  for (const auto& g : found)
    for (auto m : g) grouped[m] = 1;
  for (std::size_t i = 0; i < set.records.size(); ++i)
    if (!grouped[i]) parts.push_back({i});
  std::vector<std::uint64_t> merged;
  std::vector<std::uint64_t> missed;
  for (const auto& g : parts) {
    std::vector<std::size_t> kept_in;
    for (auto m : g)
      if (set.kept[m] != 0) kept_in.push_back(m);
    for (std::size_t k = 1; k < kept_in.size(); ++k) merged.push_back(code(kept_in[0], kept_in[k]));
    if (!kept_in.empty() || missed.size() >= limit) continue;
    std::size_t best = g[0];
    double best_score = -1;
    for (std::size_t j = 0; j < set.records.size(); ++j) {
      if (set.kept[j] == 0) continue;
      const auto c = srma::compare_records(set.records[g[0]], set.records[j]);
      if (c.title.value_or(0) > 0.6 && c.score > best_score) {
        best_score = c.score;
        best = j;
      }
    }
    if (best != g[0]) missed.push_back(code(g[0], best));
  }
  show_pairs("kept records merged", merged, set, limit);
  show_pairs("duplicate not removed", missed, set, limit);
}

// ---- Synthetic records ------------------------------------------------------------------------

struct synthetic {
  std::vector<srma::bib_record> records;
  std::vector<std::vector<std::size_t>> truth;
};

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// "Zuber, J." -> "Zuber J" (MEDLINE) or "J. Zuber"; full given names keep their first letter.
std::string reform_author(const std::string& a, std::mt19937_64& rng) {
  const auto comma = a.find(',');
  if (comma == std::string::npos) return a;
  const std::string last = trimmed(a.substr(0, comma));
  const std::string given = trimmed(a.substr(comma + 1));
  std::string initials;
  bool start = true;
  for (char c : given) {
    if (c == ' ' || c == '.' || c == '-') {
      start = true;
      continue;
    }
    if (start && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
      initials += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
    start = false;
  }
  switch (rng() % 3) {
    case 0:
      return last + " " + initials;
    case 1: {
      std::string spaced;
      for (char c : initials) spaced += std::string(1, c) + ". ";
      return spaced + last;
    }
    default:
      return last + ", " + given;
  }
}

srma::bib_record perturb(const srma::bib_record& r, std::mt19937_64& rng) {
  srma::bib_record d = r;
  std::uniform_real_distribution<double> u(0, 1);
  if (u(rng) < 0.3) d.title = upper(d.title);
  if (u(rng) < 0.3) d.title = lower(d.title);
  if (u(rng) < 0.4) {  // dashes and punctuation
    std::string t;
    for (char c : d.title) {
      if (c == '-')
        t += u(rng) < 0.5 ? " - " : "--";
      else if (c == ':' || c == ',')
        t += u(rng) < 0.5 ? "" : " ";
      else
        t += c;
    }
    d.title = t;
  }
  if (u(rng) < 0.4) d.title += ".";
  if (u(rng) < 0.5)
    for (auto& a : d.authors) a = reform_author(a, rng);
  if (u(rng) < 0.1 && d.authors.size() > 3) d.authors.resize(3);  // list cut
  if (u(rng) < 0.15) d.pages.clear();
  if (u(rng) < 0.1) d.volume.clear();
  if (u(rng) < 0.15) d.journal.clear();
  if (u(rng) < 0.2) d.issue.clear();
  if (u(rng) < 0.1 && !d.year.empty()) d.year = std::to_string(std::stoi(d.year) + 1);
  if (!d.doi.empty()) {
    switch (rng() % 4) {
      case 0:
        d.doi = "https://doi.org/" + d.doi;
        break;
      case 1:
        d.doi = "doi:" + upper(d.doi);
        break;
      case 2:
        d.doi = "http://dx.doi.org/" + d.doi;
        break;
      default:
        break;
    }
    if (u(rng) < 0.2) d.doi.clear();
  }
  if (!d.pages.empty() && u(rng) < 0.3) {  // "1865-1876" -> "1865-76"
    const auto dash = d.pages.find('-');
    if (dash != std::string::npos && d.pages.size() - dash - 1 > 2 && dash > 2)
      d.pages = d.pages.substr(0, dash + 1) + d.pages.substr(d.pages.size() - 2);
  }
  return d;
}

// `n` records: distinct articles made from the pool (the pool itself, then new ones with title
// words, authors and pages replaced), a share of them copied with perturbations.
synthetic make_synthetic(const std::vector<srma::bib_record>& pool, std::size_t n,
                         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::string> words;
  for (std::size_t k = 0; k < pool.size(); k += 3)
    for (auto& w : split(pool[k].title, " "))
      if (w.size() > 3) words.push_back(w);
  synthetic s;
  const auto distinct = static_cast<std::size_t>(static_cast<double>(n) * 0.7);
  std::vector<std::size_t> originals;
  for (std::size_t k = 0; k < distinct; ++k) {
    srma::bib_record r = pool[k % pool.size()];
    if (k >= pool.size()) {
      auto ws = split(r.title, " ");
      for (int rep = 0; rep < 4 && !ws.empty(); ++rep)
        ws[rng() % ws.size()] = words[rng() % words.size()];
      r.title.clear();
      for (auto& w : ws) r.title += (r.title.empty() ? "" : " ") + w;
      r.authors = pool[rng() % pool.size()].authors;
      r.pages = std::to_string(1 + rng() % 2000);
      r.volume = std::to_string(1 + rng() % 300);
      if (!r.doi.empty()) r.doi += fmt::format("-s{}", k);
    }
    r.id = fmt::format("syn{:06}", k);
    originals.push_back(s.records.size());
    s.records.push_back(std::move(r));
  }
  std::map<std::size_t, std::vector<std::size_t>> groups;
  while (s.records.size() < n) {
    const std::size_t of = originals[rng() % originals.size()];
    srma::bib_record d = perturb(s.records[of], rng);
    d.id = fmt::format("syn{:06}", s.records.size());
    groups[of].push_back(s.records.size());
    s.records.push_back(std::move(d));
  }
  // Shuffle so that copies are not next to their originals.
  std::vector<std::size_t> order(s.records.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::size_t> position(order.size());
  std::vector<srma::bib_record> shuffled(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    position[order[k]] = k;
    shuffled[k] = std::move(s.records[order[k]]);
  }
  s.records = std::move(shuffled);
  for (auto& [of, copies] : groups) {
    std::vector<std::size_t> g{position[of]};
    for (auto c : copies) g.push_back(position[c]);
    s.truth.push_back(std::move(g));
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  std::vector<std::string> sets = {"haematology", "respiratory", "cytology_screening",
                                   "digital_work"};
  bool sets_given = false;
  bool check = false;
  double min_recall = 0.98;
  double min_precision = 0.995;
  std::size_t synthetic_n = 50000;
  double max_seconds = 30;
  std::size_t show = 0;
  std::size_t show_uncertain = 0;
  std::map<std::string, double> recall_for;
  srma::dedup_options options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        fmt::print(stderr, "dedup_score: {} needs a value\n", a);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--check")
      check = true;
    else if (a == "--sets") {
      sets = split(next(), ",");
      sets_given = true;
    } else if (a == "--min-recall")
      min_recall = std::stod(next());
    else if (a == "--min-precision")
      min_precision = std::stod(next());
    else if (a == "--synthetic")
      synthetic_n = std::stoul(next());
    else if (a == "--max-seconds")
      max_seconds = std::stod(next());
    else if (a == "--show-errors")
      show = std::stoul(next());
    else if (a == "--show-uncertain")
      show_uncertain = std::stoul(next());
    else if (a == "--notices") {
      const std::string v = next();
      if (v != "with-article" && v != "separate") {
        fmt::print(stderr, "dedup_score: --notices is with-article or separate, not {}\n", v);
        return 2;
      }
      options.notices =
          v == "separate" ? srma::notice_policy::separate : srma::notice_policy::with_article;
    } else if (a == "--min-recall-for") {
      const std::string v = next();
      const auto eq = v.find('=');
      if (eq == std::string::npos) {
        fmt::print(stderr, "dedup_score: --min-recall-for needs SET=RECALL, not {}\n", v);
        return 2;
      }
      recall_for[v.substr(0, eq)] = std::stod(v.substr(eq + 1));
    } else if (!a.empty() && a[0] == '-') {
      fmt::print(stderr, "dedup_score: unknown option {}\n", a);
      return 2;
    } else
      data_dir = a;
  }
  if (data_dir.empty()) {
    if (const char* env = std::getenv("SRMA_DEDUP_DATA")) data_dir = env;
  }
  // ../shared beside the source tree (this file is <tree>/bench/dedup_score.cpp).
  if (data_dir.empty())
    data_dir = (fs::path(__FILE__).parent_path() / ".." / ".." / "shared" / "benchmarks" / "dedup")
                   .lexically_normal()
                   .string();
  if (!fs::is_directory(data_dir)) {
    fmt::print("dedup_score: skipped: no benchmark data at {}\n", data_dir);
    return 77;
  }
  if (!sets_given && fs::is_directory(fs::path(data_dir) / "diabetes_asysd"))
    sets.emplace_back("diabetes_asysd");

  bool ok = true;
  std::vector<srma::bib_record> pool;
  fmt::print("{:<20} {:>7} {:>6} {:>6} {:>5} {:>5} {:>9} {:>7} {:>7} {:>9} {:>8}\n", "set",
             "records", "pairs", "TP", "FP", "FN", "precision", "recall", "F1", "uncertain",
             "seconds");
  for (const auto& name : sets) {
    labelled_set set;
    set.name = name;
    std::string problem;
    if (!read_set(fs::path(data_dir) / name, set, problem)) {
      fmt::print(stderr, "dedup_score: {}: {}\n", name, problem);
      return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = srma::deduplicate(set.records, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<std::uint64_t> fp;
    std::vector<std::uint64_t> fn;
    if (!set.kept.empty()) {
      // Only which records were kept is known: scored by records (score_kept), as Hair et al.
      // (2023) report sensitivity and specificity.
      const score r = score_kept(result.groups, set.kept);
      const double floor = recall_for.count(name) ? recall_for[name] : min_recall;
      const bool pass = r.recall() >= floor && r.precision() >= min_precision;
      ok = ok && pass;
      fmt::print(
          "{:<20} {:>7} {:>6} {:>6} {:>5} {:>5} {:>9.4f} {:>7.4f} {:>7.4f} {:>9} {:>8.3f}  "
          "(records, not pairs){}\n",
          name, set.records.size(), r.tp + r.fn, r.tp, r.fp, r.fn, r.precision(), r.recall(),
          r.f1(), result.uncertain.size(), seconds,
          pass ? std::string()
               : fmt::format("  BELOW TARGET (recall {}, precision {})", floor, min_precision));
      std::map<std::string, std::size_t> why;
      for (const auto& u : result.uncertain) ++why[std::string(srma::to_string(u.reason))];
      std::string line;
      for (const auto& [k, v] : why) line += fmt::format("{}{} {}", line.empty() ? "" : ", ", k, v);
      fmt::print("    uncertain pairs by reason: {}\n", line);
      if (show > 0) show_kept_errors(result.groups, set, show);
      continue;
    }
    const score s = score_groups(result.groups, set.truth, &fp, &fn);
    const double floor = recall_for.count(name) ? recall_for[name] : min_recall;
    const bool pass = s.recall() >= floor && s.precision() >= min_precision;
    ok = ok && pass;
    fmt::print("{:<20} {:>7} {:>6} {:>6} {:>5} {:>5} {:>9.4f} {:>7.4f} {:>7.4f} {:>9} {:>8.3f}{}\n",
               name, set.records.size(), s.tp + s.fn, s.tp, s.fp, s.fn, s.precision(), s.recall(),
               s.f1(), result.uncertain.size(), seconds,
               pass
                   ? (floor < min_recall ? fmt::format("  (recall floor {})", floor) : "")
                   : fmt::format("  BELOW TARGET (recall {}, precision {})", floor, min_precision));
    {
      // Per reason: how many uncertain pairs, and how many of them the labels call duplicates
      // (what a person reviewing the list would merge).
      std::vector<std::size_t> true_group(set.records.size(), static_cast<std::size_t>(-1));
      for (std::size_t g = 0; g < set.truth.size(); ++g)
        for (auto m : set.truth[g]) true_group[m] = g;
      std::map<std::string, std::pair<std::size_t, std::size_t>> why;
      std::size_t labelled = 0;
      for (const auto& u : result.uncertain) {
        auto& [count, dup] = why[std::string(srma::to_string(u.reason))];
        ++count;
        const bool is_dup =
            true_group[u.a] != static_cast<std::size_t>(-1) && true_group[u.a] == true_group[u.b];
        dup += is_dup ? 1 : 0;
        labelled += is_dup ? 1 : 0;
      }
      std::string line;
      for (const auto& [k, v] : why)
        line += fmt::format("{}{} {} ({} dup)", line.empty() ? "" : ", ", k, v.first, v.second);
      fmt::print(
          "    uncertain pairs: {} ({:.1f}% of records), {} of them labelled duplicates; by "
          "reason: {}\n",
          result.uncertain.size(),
          100.0 * static_cast<double>(result.uncertain.size()) /
              static_cast<double>(set.records.size()),
          labelled, line);
    }
    if (!fn.empty()) {  // why the missed pairs were missed
      std::map<std::string, std::size_t> why;
      for (auto p : fn) {
        const auto c = srma::compare_records(set.records[p >> 32], set.records[p & 0xFFFFFFFFu]);
        ++why[fmt::format("{} ({})", srma::to_string(c.decision), srma::to_string(c.reason))];
      }
      std::string line;
      for (const auto& [k, v] : why) line += fmt::format("{}{} {}", line.empty() ? "" : ", ", k, v);
      // A missed pair is listed when an uncertain pair joins the groups of its two records.
      std::vector<std::size_t> cluster(set.records.size());
      for (std::size_t k = 0; k < cluster.size(); ++k) cluster[k] = k;
      for (const auto& g : result.groups)
        for (auto m : g) cluster[m] = g.front();
      std::set<std::uint64_t> listed;
      for (const auto& u : result.uncertain) listed.insert(code(cluster[u.a], cluster[u.b]));
      std::size_t shown = 0;
      for (auto p : fn) shown += listed.count(code(cluster[p >> 32], cluster[p & 0xFFFFFFFFu]));
      fmt::print("    missed pairs, as compared directly: {}; {} of the {} listed as uncertain\n",
                 line, shown, fn.size());
    }
    {
      const score r = score_records(result.groups, set.truth, set.records.size());
      fmt::print(
          "    records removed: {} right, {} wrong, {} missed (sensitivity {:.4f}, precision "
          "{:.4f})\n",
          r.tp, r.fp, r.fn, r.recall(), r.precision());
    }
    if (show > 0) {
      show_pairs("false positive", fp, set, show);
      show_pairs("false negative", fn, set, show);
    }
    if (show_uncertain > 0) {  // the uncertain pairs the labels call different
      std::set<std::uint64_t> truth_pairs = pairs_of(set.truth);
      std::vector<std::uint64_t> other;
      for (const auto& u : result.uncertain)
        if (!truth_pairs.count(code(u.a, u.b))) other.push_back(code(u.a, u.b));
      show_pairs("uncertain, labelled different", other, set, show_uncertain);
    }
    // The pool of the synthetic run: one record per true group, so that its own truth is
    // complete.
    std::vector<char> later_member(set.records.size(), 0);
    for (const auto& g : set.truth)
      for (std::size_t k = 1; k < g.size(); ++k) later_member[g[k]] = 1;
    for (std::size_t k = 0; k < set.records.size(); ++k)
      if (!later_member[k]) pool.push_back(set.records[k]);
  }
  fmt::print("targets: recall >= {}, precision >= {} on every set\n", min_recall, min_precision);

  if (synthetic_n > 0 && !pool.empty()) {
    const synthetic syn = make_synthetic(pool, synthetic_n, 20240611);
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = srma::deduplicate(syn.records, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const score s = score_groups(result.groups, syn.truth);
    const bool fast = seconds <= max_seconds;
    ok = ok && fast;
    fmt::print(
        "synthetic: {} records, {} candidate pairs, {} groups, {} uncertain pairs; precision "
        "{:.4f}, recall {:.4f}; {:.2f} s{}\n",
        syn.records.size(), result.stats.candidate_pairs, result.groups.size(),
        result.uncertain.size(), s.precision(), s.recall(), seconds,
        fast ? "" : fmt::format("  SLOWER THAN {} s", max_seconds));
  }
  return check && !ok ? 1 : 0;
}
