// File: srma/project/reviewers.hpp
//
// The review team of `srma serve`: each reviewer has an account with a role (reviewer or
// adjudicator), signs in with a one-time token printed by `srma review reviewer add NAME`, and then
// holds a web session. Tokens and session ids are never stored: only their SHA-256 hashes are
// (the caller hashes; srma/web/tokens.hpp makes and hashes them). Like every table of the project
// these are append-only: a used token and an ended session are rows of their own.
//
// The team's screening keywords (highlighted green or red on the screening page) are stored here
// too, as additions and removals by a named person; the latest action on a word counts.
//
// Example:
//
//   auto who = srma::project::add_reviewer(*p, "Ana", srma::project::role::reviewer);
//   srma::project::store_sign_in_token(*p, "Ana", sha256_hex(token));
//   auto signed_in = srma::project::use_sign_in_token(*p, sha256_hex(token));  // once only
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/project/screening.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

/// A member of the review team.
struct reviewer_account {
  std::int64_t id = 0;
  std::string name;
  role r = role::reviewer;
  std::string added_at;  ///< ISO 8601 UTC
};

/// Adds a reviewer (a name already there is returned as it is, with its role unchanged).
///
/// Errors: srma.project.E671 (an empty name or one with control characters), E665.
[[nodiscard]] expected<reviewer_account> add_reviewer(review_project& project,
                                                      const std::string& name, role r);

/// Every reviewer, in the order they were added.
[[nodiscard]] expected<std::vector<reviewer_account>> list_reviewers(const review_project& project);

/// The reviewer called `name`, if there is one.
[[nodiscard]] expected<std::optional<reviewer_account>> find_reviewer(const review_project& project,
                                                                      const std::string& name);

/// Stores the hash of a new sign-in token for `name`.
///
/// Errors: srma.project.E671 (no such reviewer, an empty hash), E665.
expected<void> store_sign_in_token(review_project& project, const std::string& name,
                                   const std::string& token_hash);

/// Uses a sign-in token: the reviewer it was issued to, once; empty when the hash is unknown or
/// the token was used before.
[[nodiscard]] expected<std::optional<reviewer_account>> use_sign_in_token(
    review_project& project, const std::string& token_hash);

/// How a session was opened: with a token, or by choosing a name at the machine itself.
enum class sign_in_method { token, local };

/// A session as stored.
struct session_record {
  std::int64_t id = 0;
  reviewer_account who;
  std::string csrf_token;
  sign_in_method how = sign_in_method::token;
};

/// Stores a new session for `name` under the hash of its id.
///
/// Errors: srma.project.E671 (no such reviewer, an empty hash or CSRF token), E665.
expected<void> store_session(review_project& project, const std::string& session_hash,
                             const std::string& name, const std::string& csrf_token,
                             sign_in_method how);

/// The open session with this hash, if any.
[[nodiscard]] expected<std::optional<session_record>> find_session(const review_project& project,
                                                                   const std::string& session_hash);

/// Ends a session (signing out); ending an unknown or ended session does nothing.
expected<void> end_session(review_project& project, const std::string& session_hash);

/// The team's screening keywords.
struct screening_keywords {
  std::vector<std::string> include;  ///< highlighted green
  std::vector<std::string> exclude;  ///< highlighted red
};

/// The standing keywords, each list in the order the words were added.
[[nodiscard]] expected<screening_keywords> list_keywords(const review_project& project);

/// Adds (`add`) or removes a keyword of a list and returns the standing keywords.
///
/// Errors: srma.project.E671 (an empty word or name), E665.
[[nodiscard]] expected<screening_keywords> change_keyword(review_project& project,
                                                          const std::string& word,
                                                          bool include_list, bool add,
                                                          const std::string& who);

}  // namespace srma::project
