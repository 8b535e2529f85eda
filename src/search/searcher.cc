#include "search/searcher.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "store/store.h"
#include "text/utf8.h"

namespace wenku::search {

namespace {

// Share of the snippet shown before the first match.
constexpr std::size_t kContextBeforeDivisor = 3;

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ascii_iequal(char a, char b) { return ascii_lower(a) == ascii_lower(b); }

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte length of the code point at `s[pos]`.
std::size_t code_point_length(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  text::decode_at(s, end);
  return end - pos;
}

bool starts_with_ci(std::string_view text, std::size_t pos, std::string_view term) {
  return text.size() - pos >= term.size() &&
         std::equal(term.begin(), term.end(), text.begin() + static_cast<std::ptrdiff_t>(pos),
                    ascii_iequal);
}

struct Match {
  std::size_t pos = std::string_view::npos;
  std::size_t length = 0;
};

// The earliest occurrence of any term; each search stops where an earlier match was found.
Match first_match(std::string_view text, const std::vector<std::string_view>& terms) {
  Match best;
  for (auto term : terms) {
    auto limit = std::min(
        text.size(), best.pos == std::string_view::npos ? text.size() : best.pos + term.size() - 1);
    auto hay = text.substr(0, limit);
    std::boyer_moore_horspool_searcher searcher(
        term.begin(), term.end(), [](char c) { return std::hash<char>()(ascii_lower(c)); },
        ascii_iequal);
    auto it = std::search(hay.begin(), hay.end(), searcher);
    if (it != hay.end()) best = {static_cast<std::size_t>(it - hay.begin()), term.size()};
  }
  return best;
}

// Moves back from `pos` by up to `count` code points, stopping at a paragraph start.
std::size_t back_up(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos > 0 && text[pos - 1] != '\n'; ++n) {
    do --pos;
    while (pos > 0 && is_continuation(text[pos]));
  }
  return pos;
}

// Moves forward from `pos` by up to `count` code points.
std::size_t advance(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos < text.size(); ++n) text::decode_at(text, pos);
  return std::min(pos, text.size());
}

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
}

// Escapes `window`, wrapping each occurrence of a term (longest first) in <mark>.
void append_marked(std::string& out, std::string_view window,
                   const std::vector<std::string_view>& terms) {
  std::size_t pos = 0;
  while (pos < window.size()) {
    auto term = std::find_if(terms.begin(), terms.end(),
                             [&](std::string_view t) { return starts_with_ci(window, pos, t); });
    std::size_t length = term != terms.end() ? term->size() : code_point_length(window, pos);
    length = std::min(length, window.size() - pos);
    if (term != terms.end()) out += "<mark>";
    append_escaped(out, window.substr(pos, length));
    if (term != terms.end()) out += "</mark>";
    pos += length;
  }
}

}  // namespace

std::string make_snippet(std::string_view text, const std::vector<std::string>& terms,
                         std::size_t max_chars) {
  std::vector<std::string_view> needles;
  for (const auto& t : terms) {
    if (!t.empty()) needles.emplace_back(t);
  }
  std::ranges::sort(needles, std::greater<>(), &std::string_view::size);
  Match match = first_match(text, needles);
  std::size_t start = 0;
  std::size_t end = advance(text, 0, max_chars);
  if (match.pos != std::string_view::npos) {
    start = back_up(text, match.pos, max_chars / kContextBeforeDivisor);
    end = std::max(advance(text, start, max_chars), match.pos + match.length);
  }
  std::string out;
  if (start > 0) out += "…";
  append_marked(out, text.substr(start, end - start), needles);
  if (end < text.size()) out += "…";
  return out;
}

SearchResponse run_search(const Index& index, store::Store& store, const SearchRequest& request,
                          const access::Viewer& viewer, const access::Policy& policy) {
  auto started = std::chrono::steady_clock::now();
  SearchResponse response;
  IndexQuery query{parse_query(request.query), request.limit, request.offset};
  auto found = index.search(query);
  response.total = found.total;
  for (const auto& hit : found.hits) {
    // The index may lag behind the store by a moment: skip what is gone or hidden.
    auto d = store.get(hit.id);
    if (!d) continue;
    auto visible = access::visible(*d, viewer, policy);
    if (!visible.exists) continue;
    response.hits.push_back({d->id, d->title, d->date, d->category, hit.score,
                             make_snippet(visible.content, query.query.terms)});
  }
  response.terms = std::move(query.query.terms);
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

}  // namespace wenku::search
