// Query parsing and the two escaping layers between user text and a Groonga command.
#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "search/index.h"
#include "text/utf8.h"

namespace wenku::search {

namespace {

constexpr std::string_view kOpenQuotes[] = {"\"", "\u201c"};   // " and “
constexpr std::string_view kCloseQuotes[] = {"\"", "\u201d"};  // " and ”
constexpr std::string_view kStrayQuote = "\u201d";             // ” outside a phrase

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

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

// One lexical unit of a query: a bare word, or a quoted phrase with whatever was glued
// before its opening quote (-, 标题: …) as `prefix`.
struct Token {
  std::string prefix;
  std::string text;
  bool quoted = false;
  bool unclosed = false;
};

bool is_phrase_prefix(std::string_view word);

// Splits a query into words and phrases; quotes inside a word start a phrase.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  std::string word;
  auto flush_word = [&] {
    if (!word.empty()) tokens.push_back({"", std::move(word)});
    word.clear();
  };
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (std::size_t n = separator_length(s, pos); n > 0) {
      flush_word();
      pos += n;
    } else if (std::size_t q = open_quote_length(s, pos); q > 0) {
      auto [close, close_len] = find_close_quote(s, pos + q);
      bool unclosed = close == std::string_view::npos;
      auto phrase = s.substr(pos + q, unclosed ? std::string_view::npos : close - (pos + q));
      Token token{"", collapse_spaces(phrase), true, unclosed};
      if (is_phrase_prefix(word)) {
        token.prefix = std::move(word);
        word.clear();
      }
      flush_word();
      tokens.push_back(std::move(token));
      pos = unclosed ? s.size() : close + close_len;
    } else {
      word += s[pos++];
    }
  }
  flush_word();
  return tokens;
}

// The field or filter a "key:" prefix names.
enum class Key { kNone, kCategory, kYear, kTitle, kOutline };

struct KeyName {
  std::string_view name;
  Key key;
};
constexpr KeyName kKeys[] = {
    {"分类", Key::kCategory}, {"cat", Key::kCategory}, {"category", Key::kCategory},
    {"年份", Key::kYear},     {"year", Key::kYear},    {"标题", Key::kTitle},
    {"title", Key::kTitle},   {"提纲", Key::kOutline}, {"outline", Key::kOutline},
};
constexpr std::string_view kColons[] = {":", "\uff1a"};  // : and ：

// Splits "key:value" into the key and the value; Key::kNone when `word` has no known key.
std::pair<Key, std::string_view> split_key(std::string_view word) {
  for (auto colon : kColons) {
    auto at = word.find(colon);
    if (at == std::string_view::npos) continue;
    auto name = word.substr(0, at);
    for (const auto& k : kKeys) {
      bool same = name.size() == k.name.size() &&
                  std::equal(name.begin(), name.end(), k.name.begin(),
                             [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
      if (same) return {k.key, word.substr(at + colon.size())};
    }
  }
  return {Key::kNone, word};
}

bool is_phrase_prefix(std::string_view word) {
  if (word == "-") return true;
  if (word.starts_with('-')) word.remove_prefix(1);
  auto [key, value] = split_key(word);
  return key != Key::kNone && value.empty();
}

// Reads a four-digit year ("2021") or 0.
int parse_year(std::string_view s) {
  int year = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  bool ok = ec == std::errc() && end == s.data() + s.size() && s.size() == 4;
  return ok ? year : 0;
}

// Reads "2021" or "2018..2021" (either order) into [from, to]; false when it is neither.
bool parse_year_range(std::string_view s, int& from, int& to) {
  auto dots = s.find("..");
  int a = parse_year(s.substr(0, dots));
  int b = dots == std::string_view::npos ? a : parse_year(s.substr(dots + 2));
  if (a == 0 || b == 0) return false;
  from = std::min(a, b);
  to = std::max(a, b);
  return true;
}

// Builds a ParsedQuery token by token: exclusions, OR chains, filters and fields.
class QueryReader {
 public:
  void add(Token token) {
    if (token.unclosed) degrade("引号未闭合，已按到末尾的短语检索");
    if (!token.quoted && (token.text == "OR" || token.text == "|")) {
      if (!pending_or_ && !clauses_.empty() && !clauses_.back().exclude) {
        pending_or_ = true;
      } else {
        degrade("“OR” 两侧缺少词语，已按普通词语检索");
        add_term(std::move(token.text), Field::kAny, false);
      }
      return;
    }
    if (token.quoted) {
      add_phrase(token.prefix, std::move(token.text));
    } else {
      add_word(token.text);
    }
  }

  ParsedQuery finish() {
    if (pending_or_) {
      degrade("“OR” 两侧缺少词语，已按普通词语检索");
      pending_or_ = false;
      add_term("OR", Field::kAny, false);
    }
    bool any_positive = std::ranges::any_of(clauses_, [](const auto& c) { return !c.exclude; });
    if (!any_positive && !clauses_.empty()) {
      degrade("只有排除词时无法检索，已把排除词当作普通词语");
      for (auto& c : clauses_) c.exclude = false;
    }
    ParsedQuery q;
    for (const auto& c : clauses_) {
      if (c.exclude) continue;
      for (const auto& t : c.any_of) q.terms.push_back(t.text);
    }
    q.clauses = std::move(clauses_);
    q.categories = std::move(categories_);
    if (has_years_) {
      q.year_from = year_from_;
      q.year_to = year_to_;
    }
    q.notice = std::move(notice_);
    return q;
  }

 private:
  // A phrase with its glued prefix: "", "-", "标题:", "-提纲:" … (see is_phrase_prefix).
  void add_phrase(std::string_view prefix, std::string phrase) {
    bool exclude = prefix.starts_with('-');
    auto key = split_key(exclude ? prefix.substr(1) : prefix).first;
    if (key == Key::kNone) {
      add_term(std::move(phrase), Field::kAny, exclude);
    } else if (!add_keyed(key, phrase, exclude)) {
      degrade_key(std::string(prefix) + "\"" + phrase + "\"");
      add_term(std::move(phrase), Field::kAny, false);
    }
  }

  void add_word(std::string_view word) {
    if (word == "-") return;  // a lone dash
    bool exclude = word.size() > 1 && word.starts_with('-');
    auto rest = exclude ? word.substr(1) : word;
    auto [key, value] = split_key(rest);
    if (key != Key::kNone) {
      if (add_keyed(key, value, exclude)) return;
      degrade_key(word);
      add_term(std::string(word), Field::kAny, false);
      return;
    }
    if (!exclude && rest.find("..") != std::string_view::npos &&
        parse_year_range(rest, year_from_, year_to_)) {
      has_years_ = true;
      return;
    }
    add_term(std::string(rest), Field::kAny, exclude, /*typed=*/!exclude);
  }

  // Applies a "key:value"; false when the value does not fit the key (empty, an excluded
  // filter, a year that is not one).
  bool add_keyed(Key key, std::string_view value, bool exclude) {
    if (value.empty()) return false;
    switch (key) {
      case Key::kCategory:
        if (exclude) return false;
        categories_.emplace_back(value);
        return true;
      case Key::kYear:
        if (exclude || !parse_year_range(value, year_from_, year_to_)) return false;
        has_years_ = true;
        return true;
      case Key::kTitle:
        add_term(std::string(value), Field::kTitle, exclude);
        return true;
      case Key::kOutline:
        add_term(std::string(value), Field::kOutline, exclude);
        return true;
      case Key::kNone:
        break;
    }
    return false;
  }

  void degrade_key(std::string_view text) {
    degrade("无法识别“" + std::string(text) + "”中的筛选条件，已按普通词语检索");
  }

  void add_term(std::string text, Field field, bool exclude, bool typed = false) {
    if (text.empty()) return;
    if (pending_or_ && !exclude) {
      // An alternative the clause already has adds no match, only work (的 OR 的 OR … read the
      // postings of 的 once per repetition).
      auto& any_of = clauses_.back().any_of;
      const bool repeated = std::any_of(any_of.begin(), any_of.end(), [&](const QueryTerm& t) {
        return t.text == text && t.field == field;
      });
      if (!repeated) any_of.push_back({std::move(text), field, typed});
      pending_or_ = false;
      return;
    }
    if (pending_or_) {
      degrade("“OR” 两侧缺少词语，已按普通词语检索");
      pending_or_ = false;
      add_term("OR", Field::kAny, false);
    }
    clauses_.push_back({{{std::move(text), field, typed}}, exclude});
  }

  void degrade(std::string message) {
    if (notice_.empty()) notice_ = std::move(message);
  }

  std::vector<QueryClause> clauses_;
  std::vector<std::string> categories_;
  int year_from_ = 0;
  int year_to_ = 0;
  bool has_years_ = false;
  bool pending_or_ = false;
  std::string notice_;
};

}  // namespace

ParsedQuery parse_query(std::string_view user_text) {
  QueryReader reader;
  for (auto& token : tokenize(user_text)) reader.add(std::move(token));
  return reader.finish();
}

std::string category_query(std::span<const std::string> categories) {
  std::string out;
  for (const auto& name : categories) {
    const bool spaced =
        std::ranges::any_of(name, is_ascii_space) || name.find("\u3000") != std::string::npos;
    const std::string term = spaced ? "分类:\"" + name + "\"" : "分类:" + name;
    // Kept only when the syntax reads it back unchanged (quotes, space runs and empty names
    // do not survive).
    const auto parsed = parse_query(term);
    if (parsed.clauses.empty() && parsed.categories == std::vector<std::string>{name}) {
      if (!out.empty()) out += ' ';
      out += term;
    }
  }
  return out;
}

std::string quote_query_phrase(std::string_view term) { return escape_with_backslash(term, '"'); }

std::string quote_command_argument(std::string_view value) {
  return escape_with_backslash(value, '\'');
}

std::string query_refusal(std::string_view user_text) {
  if (!text::is_valid_utf8(user_text)) return "搜索词不是有效的 UTF-8 文本，请重新输入。";
  // Counting stops past the limit: a huge query is not walked to its end.
  if (text::count_code_points(user_text.substr(0, 4 * (kMaxQueryChars + 1))) > kMaxQueryChars) {
    return "搜索词太长：最多 " + std::to_string(kMaxQueryChars) + " 个字，请缩短后再搜。";
  }
  std::size_t terms = 0;
  for (const auto& clause : parse_query(user_text).clauses) terms += clause.any_of.size();
  if (terms > kMaxQueryTerms) {
    return "搜索词太多：最多 " + std::to_string(kMaxQueryTerms) + " 个词，请减少后再搜。";
  }
  return "";
}

}  // namespace wenku::search
