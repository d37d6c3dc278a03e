// File: srma/util/text_column.hpp
//
// A column of short texts stored back to back in one buffer with an end offset per entry: the
// attribute columns of a study table (year, subgroup, n_t, ...). A std::vector<std::string>
// costs 32 bytes per entry before any text (and a heap block when the text is longer than 15
// characters); here an entry costs its length plus 8 bytes, so a study file of 10^7 rows keeps
// its columns in about the file's own size. Entries are read as std::string_view; they are
// appended, never changed in place (a study table is built once, then subset or copied).
//
// Example:
//
//   srma::text_column year;
//   year.push_back("1990");
//   year.push_back("NR");
//   for (std::string_view y : year) fmt::print("{}\n", y);
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace srma {

/// Texts appended one by one, read by index as string views.
class text_column {
 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    const_iterator() = default;
    const_iterator(const text_column* c, std::size_t i) : c_(c), i_(i) {}
    std::string_view operator*() const { return (*c_)[i_]; }
    std::string_view operator[](difference_type n) const {
      return (*c_)[static_cast<std::size_t>(static_cast<difference_type>(i_) + n)];
    }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      auto t = *this;
      ++i_;
      return t;
    }
    const_iterator& operator--() {
      --i_;
      return *this;
    }
    const_iterator operator--(int) {
      auto t = *this;
      --i_;
      return t;
    }
    const_iterator& operator+=(difference_type n) {
      i_ = static_cast<std::size_t>(static_cast<difference_type>(i_) + n);
      return *this;
    }
    const_iterator& operator-=(difference_type n) { return *this += -n; }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.i_ == b.i_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.i_ <=> b.i_;
    }

   private:
    const text_column* c_ = nullptr;
    std::size_t i_ = 0;
  };
  using value_type = std::string_view;
  using size_type = std::size_t;

  text_column() = default;
  text_column(std::initializer_list<std::string_view> texts) {
    for (std::string_view t : texts) push_back(t);
  }
  /// The texts of `texts`, in order.
  text_column(const std::vector<std::string>& texts) {  // NOLINT(google-explicit-constructor)
    reserve(texts.size());
    for (const auto& t : texts) push_back(t);
  }

  [[nodiscard]] std::size_t size() const { return ends_.size(); }
  [[nodiscard]] bool empty() const { return ends_.empty(); }
  /// Entry i (valid until the next push_back).
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  [[nodiscard]] const_iterator begin() const { return {this, 0}; }
  [[nodiscard]] const_iterator end() const { return {this, size()}; }

  void push_back(std::string_view t) {
    text_.append(t);
    ends_.push_back(text_.size());
  }
  /// Replaces entry i: O(size) as the entries after it move (for tests and rare edits).
  void set(std::size_t i, std::string_view t) {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    const std::size_t old = ends_[i] - begin;
    text_.replace(begin, old, t);
    const auto delta = static_cast<std::ptrdiff_t>(t.size()) - static_cast<std::ptrdiff_t>(old);
    for (std::size_t j = i; j < ends_.size(); ++j)
      ends_[j] = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(ends_[j]) + delta);
  }
  /// Room for `entries` entries (the text grows as it comes).
  void reserve(std::size_t entries) { ends_.reserve(entries); }
  /// Room for `entries` entries of `text_bytes` bytes in all (no regrowth, no copy of the text
  /// while a column of 10^7 entries fills).
  void reserve(std::size_t entries, std::size_t text_bytes) {
    ends_.reserve(entries);
    text_.reserve(text_bytes);
  }
  void clear() {
    text_.clear();
    ends_.clear();
  }
  /// The entries as strings (for callers that need to own them).
  [[nodiscard]] std::vector<std::string> to_strings() const {
    return std::vector<std::string>(begin(), end());
  }
  /// Bytes held (text and offsets), for memory accounting.
  [[nodiscard]] std::size_t bytes() const {
    return text_.capacity() + ends_.capacity() * sizeof(std::size_t);
  }

  friend bool operator==(const text_column& a, const text_column& b) {
    return a.ends_ == b.ends_ && a.text_ == b.text_;
  }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

}  // namespace srma
