// Query parsing and the two escaping layers between user text and a Groonga command.
#include <string>
#include <string_view>

#include "search/index.h"

namespace wenku::search {

namespace {

constexpr std::string_view kOpenQuotes[] = {"\"", "\u201c"};   // " and “
constexpr std::string_view kCloseQuotes[] = {"\"", "\u201d"};  // " and ”
constexpr std::string_view kStrayQuote = "\u201d";             // ” outside a phrase

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the whitespace (ASCII or the ideographic space U+3000) at `s[pos]`, or 0.
std::size_t space_length(std::string_view s, std::size_t pos) {
  if (is_ascii_space(s[pos])) return 1;
  constexpr std::string_view kIdeographicSpace = "\u3000";
  return s.substr(pos).starts_with(kIdeographicSpace) ? kIdeographicSpace.size() : 0;
}

// Length of a term separator at `s[pos]` (whitespace or a stray ”), or 0.
std::size_t separator_length(std::string_view s, std::size_t pos) {
  if (std::size_t n = space_length(s, pos); n > 0) return n;
  return s.substr(pos).starts_with(kStrayQuote) ? kStrayQuote.size() : 0;
}

// Length of the opening quote at `s[pos]`, or 0.
std::size_t open_quote_length(std::string_view s, std::size_t pos) {
  for (std::string_view q : kOpenQuotes) {
    if (s.substr(pos).starts_with(q)) return q.size();
  }
  return 0;
}

// Position and length of the first closing quote at or after `pos`; npos when unclosed.
std::pair<std::size_t, std::size_t> find_close_quote(std::string_view s, std::size_t pos) {
  std::pair<std::size_t, std::size_t> best{std::string_view::npos, 0};
  for (std::string_view q : kCloseQuotes) {
    auto at = s.find(q, pos);
    if (at < best.first) best = {at, q.size()};
  }
  return best;
}

// Collapses every run of whitespace in a phrase into one space and trims the ends, so
// that no control character reaches a Groonga command.
std::string collapse_spaces(std::string_view phrase) {
  std::string out;
  bool pending_space = false;
  for (std::size_t pos = 0; pos < phrase.size();) {
    if (std::size_t n = space_length(phrase, pos); n > 0) {
      pending_space = true;
      pos += n;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += phrase[pos++];
  }
  return out;
}

std::string escape_with_backslash(std::string_view value, char quote) {
  std::string out;
  out.reserve(value.size() + 2);
  out += quote;
  for (char c : value) {
    if (c == '\\' || c == quote) out += '\\';
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

ParsedQuery parse_query(std::string_view user_text) {
  ParsedQuery parsed;
  std::string word;
  auto flush_word = [&] {
    if (!word.empty()) parsed.terms.push_back(std::move(word));
    word.clear();
  };
  std::size_t pos = 0;
  while (pos < user_text.size()) {
    if (std::size_t n = separator_length(user_text, pos); n > 0) {
      flush_word();
      pos += n;
    } else if (std::size_t q = open_quote_length(user_text, pos); q > 0) {
      flush_word();
      auto [close, close_len] = find_close_quote(user_text, pos + q);
      auto phrase = user_text.substr(
          pos + q, close == std::string_view::npos ? std::string_view::npos : close - (pos + q));
      word = collapse_spaces(phrase);
      flush_word();
      pos = close == std::string_view::npos ? user_text.size() : close + close_len;
    } else {
      word += user_text[pos++];
    }
  }
  flush_word();
  return parsed;
}

std::string quote_query_phrase(std::string_view term) { return escape_with_backslash(term, '"'); }

std::string quote_command_argument(std::string_view value) {
  return escape_with_backslash(value, '\'');
}

}  // namespace wenku::search
