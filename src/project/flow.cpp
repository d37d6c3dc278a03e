// The PRISMA 2020 column each record follows (flow.hpp).
#include "flow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>

#include "project_state.hpp"

namespace srma::project::detail {

std::int64_t record_flow::stands_for(std::int64_t id) const {
  auto it = representative.find(id);
  return it == representative.end() ? id : it->second;
}

bool record_flow::from_other_method(std::int64_t id) const {
  auto it = kind.find(id);
  return it != kind.end() && is_other_method(it->second);
}

namespace {

expected<record_flow> derive_flow(const review_project& project, std::string_view doing) {
  record_flow f;
  auto dedup = current_dedup(project);
  if (!dedup) return unexpected(dedup.error());
  if (dedup->records > 0 && !dedup->covers_all) {
    return fail(errc::project_not_deduplicated,
                fmt::format("{} of {} records were imported after the last de-duplication; run "
                            "`srma review dedup` {}",
                            dedup->records - dedup->run_records, dedup->records, doing),
                {project.database_path().string(), 0, 0});
  }
  f.dedup = std::move(*dedup);
  std::vector<std::int64_t> ids;
  {
    auto st = project.state().db.prepare(
        "SELECT r.id, b.kind FROM record r JOIN import_batch b ON b.id = r.batch ORDER BY r.id");
    if (!st) return unexpected(st.error());
    auto row = st->step();
    for (; row && *row; row = st->step()) {
      ids.push_back(st->integer(0));
      f.kind[ids.back()] = parse_source_kind(st->text(1)).value_or(source_kind::database);
    }
    if (!row) return unexpected(row.error());
  }
  // Groups list the kept record first, then the others by id; pick the screened record of each.
  for (const auto& g : f.dedup.groups) {
    auto first_db =
        std::find_if(g.begin(), g.end(), [&](std::int64_t id) { return !f.from_other_method(id); });
    const bool databases = first_db != g.end();
    const std::int64_t rep = databases ? *first_db : g.front();
    for (const auto id : g) {
      f.representative[id] = rep;
      if (id == rep) continue;
      if (!f.from_other_method(id)) {
        ++f.removed_duplicates;
      } else if (databases) {
        ++f.other_in_database_flow;
      } else {
        ++f.other_duplicates;
      }
    }
  }
  for (const auto id : ids) {
    if (f.stands_for(id) != id) continue;
    (f.from_other_method(id) ? f.other : f.title).push_back(id);
  }
  return f;
}

}  // namespace

expected<std::shared_ptr<const record_flow>> record_flow_of(const review_project& project,
                                                            std::string_view doing) {
  const auto& state = project.state();
  auto st = state.db.prepare(
      "SELECT (SELECT ifnull(max(id), 0) FROM record), (SELECT ifnull(max(id), 0) FROM "
      "import_batch), (SELECT ifnull(max(id), 0) FROM dedup_run), (SELECT ifnull(max(id), 0) "
      "FROM pair_decision)");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  std::array<std::int64_t, 4> stamp{};
  for (int i = 0; i < 4; ++i) stamp[static_cast<std::size_t>(i)] = st->integer(i);
  auto& cache = state.flow_cache;
  if (cache.flow && cache.stamp == stamp && cache.rollbacks == state.db.rollbacks()) {
    return cache.flow;
  }
  auto f = derive_flow(project, doing);
  if (!f) return unexpected(f.error());
  cache.flow = std::make_shared<const record_flow>(std::move(*f));
  cache.stamp = stamp;
  cache.rollbacks = state.db.rollbacks();
  return cache.flow;
}

}  // namespace srma::project::detail
