// libFuzzer target for the query language: search::parse_query, search::query_refusal and
// search::category_query. For any bytes, nothing crashes or throws; a query is refused
// exactly when it is not valid UTF-8, longer than kMaxQueryChars characters or of more than
// kMaxQueryTerms terms; the parse of valid UTF-8 gives non-empty UTF-8 terms and categories
// (phrases with their spaces collapsed, words with none) and years in range; and the
// categories it names, written back by category_query, read back as the same categories and
// nothing else, leaving out only names holding a “ (see below).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "require.h"
#include "search/index.h"
#include "text/utf8.h"

namespace {

using namespace wenku;

bool has_ascii_space(std::string_view s) {
  return s.find_first_of(" \t\n\r\f\v") != std::string_view::npos;
}

// A term or category as parse_query leaves it: not empty, valid UTF-8, and its spaces (a
// phrase's) single ASCII spaces between other characters.
void check_text(std::string_view s) {
  REQUIRE(!s.empty());
  REQUIRE(text::is_valid_utf8(s));
  REQUIRE(s.find_first_of("\t\n\r\f\v") == std::string_view::npos);
  REQUIRE(s.find("\u3000") == std::string_view::npos);
  REQUIRE(s.front() != ' ' && s.back() != ' ' && s.find("  ") == std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string refusal = search::query_refusal(input);
  const search::ParsedQuery parsed = search::parse_query(input);
  if (!text::is_valid_utf8(input)) {
    REQUIRE(!refusal.empty());
    return 0;
  }

  std::size_t terms = 0;
  std::vector<std::string> positive;
  for (const auto& clause : parsed.clauses) {
    REQUIRE(!clause.any_of.empty());
    terms += clause.any_of.size();
    for (const auto& term : clause.any_of) {
      check_text(term.text);
      // A word typed bare holds no space; only phrases do.
      if (term.typed) REQUIRE(!has_ascii_space(term.text));
      if (!clause.exclude) positive.push_back(term.text);
    }
  }
  REQUIRE(parsed.terms == positive);
  for (const auto& category : parsed.categories) check_text(category);
  if (parsed.year_from != 0 || parsed.year_to != 0) {
    REQUIRE(0 < parsed.year_from && parsed.year_from <= parsed.year_to && parsed.year_to <= 9999);
  }
  const bool too_long = text::count_code_points(input) > search::kMaxQueryChars;
  REQUIRE(refusal.empty() == (!too_long && terms <= search::kMaxQueryTerms));

  // The categories, written as a query and read back. A name parse_query gives holds no
  // " or ” (they end it); one holding no “ either is always carried; one holding a “ is
  // carried when category_query finds it reads back (written as a phrase, when spaced).
  std::vector<std::string> carried;
  for (const auto& category : parsed.categories) {
    REQUIRE(category.find('"') == std::string::npos);
    REQUIRE(category.find("\u201d") == std::string::npos);
    const bool kept = !search::category_query(std::vector<std::string>{category}).empty();
    if (category.find("\u201c") == std::string::npos) REQUIRE(kept);
    if (kept) carried.push_back(category);
  }
  const std::string written = search::category_query(parsed.categories);
  const search::ParsedQuery read_back = search::parse_query(written);
  REQUIRE(read_back.categories == carried);
  REQUIRE(read_back.clauses.empty() && read_back.terms.empty());
  REQUIRE(read_back.year_from == 0 && read_back.year_to == 0);
  REQUIRE(read_back.notice.empty());
  REQUIRE(search::category_query(read_back.categories) == written);
  return 0;
}
