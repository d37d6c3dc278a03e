// Which column of the PRISMA 2020 diagram each record follows, after de-duplication.
//
// A group of duplicates (or a record in no group) follows the databases-and-registers column
// when any of its records came from a database or register: it is screened once, on title and
// abstract, as its database/register record imported first (the lowest such id). Every other
// record of the group is removed: database/register records count as "duplicate records removed",
// records from other methods are simply already in that flow. A group made only of records from
// other methods follows the other-methods column: its record imported first is one "report
// sought for retrieval" there, screened at full text only, and the rest are duplicates among
// other methods. Without other methods this is the de-duplication run's own rule (the record
// imported first of each group is screened).
//
// Example:
//
//   auto flow = srma::project::detail::record_flow_of(project, "before screening");
//   // (*flow)->title: records screened on title/abstract; flow->other: reports sought via other
//   // methods; flow->stands_for(id): the record screened for id's group.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "srma/project/dedup.hpp"
#include "srma/project/project.hpp"
#include "srma/project/records.hpp"
#include "srma/util/expected.hpp"

namespace srma::project::detail {

struct record_flow {
  project_dedup dedup;
  std::unordered_map<std::int64_t, source_kind> kind;  ///< every record's source kind
  std::vector<std::int64_t> title;  ///< screened on title/abstract (databases, registers), id order
  std::vector<std::int64_t> other;  ///< reports sought via other methods, id order
  long removed_duplicates = 0;      ///< database/register records removed as duplicates
  long other_in_database_flow = 0;  ///< other-method records whose group has a database record
  long other_duplicates = 0;        ///< other-method records in other-only groups, beyond the first
  std::unordered_map<std::int64_t, std::int64_t> representative;  ///< grouped record → screened

  /// The record screened for `id`'s group (`id` itself when it is in no group).
  [[nodiscard]] std::int64_t stands_for(std::int64_t id) const;
  /// True when `id` came from a website, an organisation or citation searching.
  [[nodiscard]] bool from_other_method(std::int64_t id) const;
};

/// The flow of every record. Errors: srma.project.E669 (records imported after the last
/// de-duplication; `doing` ends the message's advice, e.g. "before screening"), E665.
///
/// Derived once and kept (project_state::flow_cache) until a record, import batch,
/// de-duplication run or pair verdict is added, by this connection or another, or a transaction
/// is rolled back: a vote costs one query for the check, not a pass over every record.
[[nodiscard]] expected<std::shared_ptr<const record_flow>> record_flow_of(
    const review_project& project, std::string_view doing);

}  // namespace srma::project::detail
