// Issue 17's measure of the gate: a library holding the whole of ../shared/corpus is served by
// the real `wenku serve` (two workers), and for every document a guest (no cookie) asks every
// GET route that takes a document id, searches for a phrase found only beyond that document's
// preview, and reads the home, hot, category and sitemap pages once. What the answers show of
// the gated texts beyond their previews must stay under 1 % in all, and under 15 % of any one
// text, its outline headings included (access::kFreeOutlineShare caps them). A member reads the
// whole of a sample of texts.
//
// The measure: a character (code point) of the text beyond the preview is revealed when it lies
// in a run of kShingle consecutive characters that a guest answer for that document also holds.
// Answers are read as a person reads them: tags stripped (a run ends at every tag but inline
// ones such as <mark>), entities, JSON and zip archives (.xlsx) decoded, whitespace ignored on
// both sides (pages lay paragraphs out anew). Not counted: runs free anyway, found in some
// document's preview or title (a snippet or related excerpt quoting another text's preview
// reveals nothing), and the searched phrase itself, which the guest typed. The outline
// headings (at most 40 characters, free by design, see OutlineOnCorpus) are counted in both
// limits and shown apart.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "access/accounts.h"
#include "access/visible.h"
#include "doc/preview.h"
#include "integration/reveal.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "testing/unzipped.h"
#include "text/utf8.h"
#include "web/http/url.h"
#include "web/http_client.h"

namespace wenku {
namespace {

namespace http = web::testing_http::http;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kShingle = 12;      // a revealed run: at least this many code points
constexpr std::size_t kPhraseChars = 10;  // the searched phrase: Han characters from the tail
constexpr std::size_t kConnections = 4;   // the guest's keep-alive connections, one per thread
constexpr const char* kPassword = "reveal-test-password-1";
constexpr const char* kMember = "reveal_member";
constexpr std::size_t kMemberSample = 50;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds this process has used (user and system), to show the guest's share of the machine.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// ---- Text as a guest reads it: code points, whitespace dropped -------------------------------

// A boundary no run crosses (between the fields of a JSON answer, the attributes of a tag…).
constexpr char32_t kBreak = 0;

bool is_space(char32_t c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x3000;
}

void append_plain(std::string_view s, std::u32string& out) {
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = text::decode_at(s, i);
    if (!is_space(c)) out.push_back(c);
  }
}

// The character of the entity at s[i] ('&'), with i moved past it; '&' alone when it is none.
char32_t decode_entity(std::string_view s, std::size_t& i) {
  const std::size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return s[i++];
  const std::string_view name = s.substr(i + 1, semi - i - 1);
  static const std::map<std::string_view, char32_t> kNamed = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}};
  char32_t c = 0;
  if (const auto it = kNamed.find(name); it != kNamed.end()) {
    c = it->second;
  } else if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string digits(name.substr(hex ? 2 : 1));
    const char* allowed = hex ? "0123456789abcdefABCDEF" : "0123456789";
    if (digits.empty() || digits.size() > 7 ||
        digits.find_first_not_of(allowed) != std::string::npos) {
      return s[i++];
    }
    c = static_cast<char32_t>(std::stoul(digits, nullptr, hex ? 16 : 10));
  } else {
    return s[i++];
  }
  i = semi + 1;
  return c;
}

// True for the tags that mark words inside a sentence (a snippet's <mark>): the text reads on
// across them. Any other tag ends a run (a list of keywords, <li><a>城市居民</a></li><li>…, is
// not a sentence).
bool is_inline_tag(std::string_view name) {
  static const std::set<std::string_view> kInline = {
      "a", "abbr", "b", "em", "i", "mark", "small", "span", "strong", "sub", "sup", "u"};
  return kInline.contains(name);
}

// HTML or XML as read: the text between tags, entities decoded, cut at every tag but inline ones;
// then each quoted attribute value and comment (a meta description, a title="…") after a break.
void append_markup(std::string_view s, std::u32string& out) {
  std::u32string attributes;
  auto push = [](std::u32string& to, char32_t c) {
    if (!is_space(c)) to.push_back(c);
  };
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, 4) == "<!--") {
      const std::size_t end = std::min(s.find("-->", i + 4), s.size());
      attributes.push_back(kBreak);
      append_plain(s.substr(i + 4, end - i - 4), attributes);
      i = std::min(end + 3, s.size());
    } else if (s[i] == '<') {
      ++i;
      const std::size_t name = i + (i < s.size() && s[i] == '/');
      std::size_t name_end = name;
      while (name_end < s.size() && std::isalnum(static_cast<unsigned char>(s[name_end]))) {
        ++name_end;
      }
      std::string tag(s.substr(name, name_end - name));
      std::transform(tag.begin(), tag.end(), tag.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!is_inline_tag(tag)) out.push_back(kBreak);
      while (i < s.size() && s[i] != '>') {
        if (s[i] == '"' || s[i] == '\'') {
          const char quote = s[i++];
          attributes.push_back(kBreak);
          while (i < s.size() && s[i] != quote) {
            push(attributes, s[i] == '&' ? decode_entity(s, i) : text::decode_at(s, i));
          }
        }
        ++i;
      }
      ++i;
    } else {
      push(out, s[i] == '&' ? decode_entity(s, i) : text::decode_at(s, i));
    }
  }
  out.push_back(kBreak);
  out += attributes;
}

// Every string of a JSON answer after a break: as plain text, and also as markup when it may be
// some (snippets are HTML).
void append_json(const nlohmann::json& j, std::u32string& out) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    out.push_back(kBreak);
    append_plain(s, out);
    if (s.find_first_of("<&") != std::string::npos) {
      out.push_back(kBreak);
      append_markup(s, out);
    }
  } else if (j.is_structured()) {
    for (const auto& item : j) append_json(item, out);
  }
}

// kZipped: an Office Open XML file (.xlsx, .docx), read as the markup of all its parts (an
// answer that is not one, a refusal, as markup).
enum class Body { kMarkup, kJson, kCsv, kZipped };

// What a guest reads of an answer of kind `body`.
std::u32string readable(Body body, const std::string& bytes) {
  std::u32string out;
  switch (body) {
    case Body::kMarkup:
      append_markup(bytes, out);
      break;
    case Body::kJson: {
      const auto j = nlohmann::json::parse(bytes, nullptr, false);
      if (j.is_discarded()) {
        append_plain(bytes, out);
      } else {
        append_json(j, out);
      }
      break;
    }
    case Body::kCsv: {
      std::string unquoted = bytes;
      std::erase(unquoted, '"');
      append_plain(unquoted, out);
      break;
    }
    case Body::kZipped:  // or the page that refused it
      append_markup(bytes.starts_with("PK") ? testing::unzipped(bytes) : bytes, out);
      break;
  }
  return out;
}

// Cuts every occurrence of `typed` (what the guest typed: a search page echoes it) out of
// `answer`, so only what the server adds around it can count.
void blank_out(std::u32string& answer, const std::u32string& typed) {
  if (typed.empty()) return;
  for (auto at = answer.find(typed); at != std::u32string::npos; at = answer.find(typed, at)) {
    std::fill_n(answer.begin() + static_cast<std::ptrdiff_t>(at), typed.size(), kBreak);
  }
}

// Calls f(position, hash) for every run of kShingle code points of `s` without a break.
template <typename F>
void for_each_shingle(const std::u32string& s, F&& f) {
  constexpr std::uint64_t kBase = 0x9E3779B97F4A7C15ull;
  std::uint64_t top = 1;  // kBase^kShingle, to take the leaving character out
  for (std::size_t k = 0; k < kShingle; ++k) top *= kBase;
  std::uint64_t h = 0;
  std::size_t run = 0;  // characters since the last break
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == kBreak) {
      h = 0;
      run = 0;
      continue;
    }
    h = h * kBase + s[i] + 1;
    if (++run > kShingle) h -= top * (s[i - kShingle] + 1);
    if (run >= kShingle) f(i + 1 - kShingle, h);
  }
}

// ---- The routes a guest asks ------------------------------------------------------------------

// A GET route taking a document id, as `wenku routes` lists it, and how a guest asks it.
struct DocRoute {
  std::string route;
  std::string before_id, after_id;  // the target is before_id + id + after_id
  Body body;
  // What a guest gets: kShown 200; kShownIfAny 200, or 404 for a text without tasks; kRefused
  // 3xx or 4xx (a route not for guests); kShownIfWhole 200 for a text the guest reads whole
  // (nothing lies beyond its preview), else 403.
  enum Answer { kShown, kShownIfAny, kRefused, kShownIfWhole } answer;
};

const std::vector<DocRoute>& doc_routes() {
  static const std::vector<DocRoute> routes = {
      {"GET /doc/:id", "/doc/", "", Body::kMarkup, DocRoute::kShown},
      {"GET /doc/:id/template", "/doc/", "/template", Body::kMarkup, DocRoute::kShown},
      {"GET /doc/:id/tasks", "/doc/", "/tasks", Body::kMarkup, DocRoute::kShownIfAny},
      {"GET only /doc/:id/tasks.csv", "/doc/", "/tasks.csv", Body::kCsv, DocRoute::kShownIfAny},
      {"GET only /doc/:id/tasks.xlsx", "/doc/", "/tasks.xlsx", Body::kZipped,
       DocRoute::kShownIfAny},
      {"GET only /doc/:id/tasks.docx", "/doc/", "/tasks.docx", Body::kZipped,
       DocRoute::kShownIfAny},
      // The Word files of the text are for readers of all of it.
      {"GET only /doc/:id/word.docx", "/doc/", "/word.docx", Body::kZipped,
       DocRoute::kShownIfWhole},
      {"GET only /doc/:id/template.docx", "/doc/", "/template.docx", Body::kZipped,
       DocRoute::kShownIfWhole},
      {"GET /qr/doc/:id.svg", "/qr/doc/", ".svg", Body::kMarkup, DocRoute::kShown},
      {"GET /api/v1/docs/:id", "/api/v1/docs/", "", Body::kJson, DocRoute::kShown},
      {"GET /api/v1/related/:id", "/api/v1/related/", "", Body::kJson, DocRoute::kShown},
      {"GET only /admin/docs/:id/edit", "/admin/docs/", "/edit", Body::kMarkup, DocRoute::kRefused},
  };
  return routes;
}

// Route bits of a run: the document routes in doc_routes() order, then these.
const std::size_t kSearchPage = doc_routes().size();
const std::size_t kSearchApi = kSearchPage + 1;
const std::size_t kLists = kSearchPage + 2;  // home, hot, category pages, sitemaps: once
const std::size_t kRouteCount = kSearchPage + 3;

std::string route_name(std::size_t r) {
  if (r < doc_routes().size()) return doc_routes()[r].route;
  if (r == kSearchPage) return "GET /search (typed phrase)";
  if (r == kSearchApi) return "GET /api/v1/search (quoted phrase)";
  return "lists: / /hot /api/v1/hot /category/* /sitemap*";
}

// A keep-alive HTTP/1.1 connection to 127.0.0.1:port; a GET that finds the connection closed
// by the server is sent again once on a new one.
class Connection {
 public:
  struct Answer {
    int status = 0;
    std::string body;
  };

  explicit Connection(int port) : port_(port), socket_(io_) {}

  Answer get(const std::string& target, const std::string& cookie = "") {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!socket_.is_open()) {
          buffer_.clear();
          socket_.connect(
              {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)});
        }
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
        if (!cookie.empty()) request.set(http::field::cookie, cookie);
        request.keep_alive(true);
        http::write(socket_, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(socket_, buffer_, parser);
        auto response = parser.release();
        Answer answer{static_cast<int>(response.result_int()), std::move(response.body())};
        if (!response.keep_alive()) close();
        return answer;
      } catch (const boost::system::system_error&) {
        close();
        if (attempt > 0) throw;
      }
    }
  }

 private:
  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  int port_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// ---- The library --------------------------------------------------------------------------

struct GatedDoc {
  std::string id, title, category, content;
  std::size_t preview_bytes = 0;  // doc::preview(d) is content.substr(0, preview_bytes)
  bool vip = false;

  std::string_view preview() const { return std::string_view(content).substr(0, preview_bytes); }
  std::string_view beyond() const { return std::string_view(content).substr(preview_bytes); }
};

// A phrase of kPhraseChars Han characters from the text beyond the preview that the preview
// and the title do not hold, from the middle of the tail on; "" when there is none.
std::string tail_phrase(const GatedDoc& d) {
  const std::string_view tail = d.beyond();
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // byte ranges of Han runs long enough
  std::size_t start = 0, chars = 0;
  for (std::size_t i = 0; i <= tail.size();) {
    const std::size_t at = i;
    const bool han = i < tail.size() && text::is_han(text::decode_at(tail, i));
    if (han) {
      if (chars++ == 0) start = at;
    } else {
      if (chars >= kPhraseChars) runs.emplace_back(start, at);
      chars = 0;
      if (i == at) ++i;
    }
  }
  if (runs.empty()) return "";
  const std::size_t middle = runs.size() / 2;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto [from, to] = runs[(middle + k) % runs.size()];
    const std::string phrase(text::prefix_code_points(tail.substr(from, to - from), kPhraseChars));
    if (d.preview().find(phrase) == std::string_view::npos &&
        d.title.find(phrase) == std::string::npos) {
      return phrase;
    }
  }
  return "";
}

// One run of a document's tail that a guest answer holds.
struct Match {
  std::uint32_t pos = 0;     // its first code point in the tail (whitespace dropped)
  std::uint16_t routes = 0;  // bit r: route r's answer holds it
  bool free = false;         // in some document's preview or title
};

// What the guest's answers hold of one document's tail.
struct Found {
  std::vector<Match> matches;            // by position
  std::vector<std::u32string> headings;  // its outline headings of at most 40 characters
};

// Marks the positions of `tail` where one of `headings` occurs.
std::vector<bool> heading_positions(const std::u32string& tail,
                                    const std::vector<std::u32string>& headings) {
  std::vector<bool> marked(tail.size(), false);
  for (const auto& h : headings) {
    if (h.empty()) continue;
    for (auto at = tail.find(h); at != std::u32string::npos; at = tail.find(h, at + 1)) {
      std::fill(marked.begin() + static_cast<std::ptrdiff_t>(at),
                marked.begin() + static_cast<std::ptrdiff_t>(at + h.size()), true);
    }
  }
  return marked;
}

class GuestRevealTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto files = testing::all_corpus_files();
    if (files.empty()) return;
    dir_ = new testing::TempDir();
    const auto data = (dir_->path() / "data").string();
    auto start = Clock::now();
    std::vector<std::string> argv = {testing::wenku_binary().string(), "import", "--data", data};
    for (const auto& f : files) argv.push_back(f.string());
    import_ = new testing::RunResult(testing::run(argv));
    std::printf("import of %zu corpus files: %.1f s\n", files.size(), seconds_since(start));
    if (import_->exit_code != 0) return;

    auto listed = testing::run({testing::wenku_binary().string(), "routes", "--data", data});
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("GET ")) routes_.push_back(line);
    }

    start = Clock::now();
    auto store = store::open_sqlite(dir_->path() / "data" / "wenku.sqlite");
    library_size_ = static_cast<std::size_t>(store->count());
    docs_ = new std::vector<GatedDoc>();
    free_ = new std::vector<std::uint64_t>();
    for (std::int64_t seq = 0;;) {
      auto batch = store->changes_since(seq, 1000);
      if (batch.empty()) break;
      for (auto& d : batch) {
        seq = d.seq;
        if (d.deleted || access::reads_full_text(d.visibility, {}, {})) continue;
        const std::size_t preview_bytes = doc::preview(d).size();
        GatedDoc g{d.id, d.title, d.category, std::move(d.content), preview_bytes};
        std::u32string free_text;
        append_plain(g.preview(), free_text);
        free_text.push_back(kBreak);
        append_plain(g.title, free_text);
        for_each_shingle(free_text, [&](std::size_t, std::uint64_t h) { free_->push_back(h); });
        docs_->push_back(std::move(g));
      }
    }
    std::sort(free_->begin(), free_->end());
    free_->erase(std::unique(free_->begin(), free_->end()), free_->end());
    // One text 会员专享: a member must not read it whole.
    for (auto& d : *docs_) {
      if (d.beyond().size() > 3000) {
        d.vip = true;
        store->set_visibility(d.id, doc::Visibility::kVip);
        break;
      }
    }
    access::Accounts accounts(*store, "");
    accounts.create(kMember, kPassword, access::Role::kMember);
    store.reset();
    std::printf("read %zu gated documents, %zu free runs (previews, titles): %.1f s\n",
                docs_->size(), free_->size(), seconds_since(start));

    server_ = new testing::ServerProcess(
        {testing::wenku_binary().string(), "serve", "--data", data, "--workers", "2"}, 180);
  }

  static void TearDownTestSuite() {
    delete server_;
    delete docs_;
    delete free_;
    delete import_;
    delete dir_;
    server_ = nullptr;
    docs_ = nullptr;
    free_ = nullptr;
    import_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    if (testing::all_corpus_files().empty()) {
      GTEST_SKIP() << "../shared/corpus is absent; corpus tests skipped";
    }
    ASSERT_EQ(import_->exit_code, 0) << import_->out;
    ASSERT_NE(server_->port(), 0) << "wenku serve did not start";
  }

  static bool is_free(std::uint64_t h) {
    return std::binary_search(free_->begin(), free_->end(), h);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::RunResult* import_ = nullptr;
  static inline testing::ServerProcess* server_ = nullptr;
  static inline std::vector<std::string> routes_;
  static inline std::vector<GatedDoc>* docs_ = nullptr;
  static inline std::vector<std::uint64_t>* free_ = nullptr;  // sorted runs of previews, titles
  static inline std::size_t library_size_ = 0;
};

TEST_F(GuestRevealTest, EveryRouteTakingADocumentIdIsMeasured) {
  ASSERT_GT(routes_.size(), 20u) << "wenku routes lists the site's routes";
  std::set<std::string> listed(routes_.begin(), routes_.end());
  for (const auto& route : routes_) {
    if (route.find(":id") == std::string::npos) continue;
    const bool measured = std::any_of(doc_routes().begin(), doc_routes().end(),
                                      [&](const DocRoute& r) { return r.route == route; });
    EXPECT_TRUE(measured) << route
                          << " takes a document id but doc_routes() does not ask it for every "
                             "document: add it";
  }
  for (const auto& r : doc_routes()) EXPECT_TRUE(listed.contains(r.route)) << r.route;
  EXPECT_TRUE(listed.contains("GET /search"));
  EXPECT_TRUE(listed.contains("GET /api/v1/search"));
}

TEST_F(GuestRevealTest, GuestRoutesRevealUnderOnePercentOfTheGatedText) {
  EXPECT_EQ(library_size_, 23296u) << "the whole corpus, all seven files";
  ASSERT_LE(kRouteCount, 16u) << "a Match keeps route bits in 16 bits";
  const auto& docs = *docs_;
  const int port = server_->port();
  const auto start = Clock::now();
  const double cpu_at_start = cpu_seconds();

  // 1. Every document, every route taking its id, and its two searches, from kConnections
  // keep-alive connections; the runs of each tail that an answer holds.
  std::vector<Found> found(docs.size());
  std::vector<std::size_t> requests_per_route(kRouteCount, 0);
  std::vector<double> seconds_per_route(kRouteCount, 0);  // summed over the connections
  std::atomic<std::size_t> next{0}, searched{0}, previews_differ{0};
  std::mutex mutex;                   // guards failures and requests_per_route
  std::vector<std::string> failures;  // the first 30 of them
  std::atomic<std::size_t> failure_count{0};
  auto fail = [&](std::string message) {
    ++failure_count;
    std::lock_guard lock(mutex);
    if (failures.size() < 30) failures.push_back(std::move(message));
  };
  auto guest = [&] {
    Connection connection(port);
    std::vector<std::size_t> requests(kRouteCount, 0);
    std::vector<double> seconds(kRouteCount, 0);
    std::unordered_map<std::uint64_t, std::uint16_t> held;  // run hash -> route bits
    auto get = [&](std::size_t r, const std::string& target) {
      const auto sent = Clock::now();
      auto answer = connection.get(target);
      seconds[r] += seconds_since(sent);
      ++requests[r];
      return answer;
    };
    for (std::size_t i; (i = next++) < docs.size();) {
      const GatedDoc& d = docs[i];
      std::u32string tail;
      append_plain(d.beyond(), tail);
      const bool measured = tail.size() >= kShingle;
      held.clear();
      auto hold = [&](std::size_t route, const std::u32string& answer) {
        if (!measured) return;
        for_each_shingle(answer, [&](std::size_t, std::uint64_t h) {
          held[h] |= static_cast<std::uint16_t>(1u << route);
        });
      };
      for (std::size_t r = 0; r < doc_routes().size(); ++r) {
        const DocRoute& route = doc_routes()[r];
        const auto target = route.before_id + d.id + route.after_id;
        Connection::Answer answer;
        try {
          answer = get(r, target);
        } catch (const std::exception& e) {
          fail(target + ": " + e.what());
          continue;
        }
        bool ok = answer.status == 200;
        switch (route.answer) {
          case DocRoute::kShown:
            break;
          case DocRoute::kShownIfAny:
            ok = ok || answer.status == 404;
            break;
          case DocRoute::kRefused:
            ok = answer.status >= 300 && answer.status < 500;
            break;
          case DocRoute::kShownIfWhole:
            ok = answer.status == (d.beyond().empty() ? 200 : 403);
            break;
        }
        if (!ok) fail(target + " answered " + std::to_string(answer.status));
        if (route.route == "GET /api/v1/docs/:id") {
          const auto j = nlohmann::json::parse(answer.body, nullptr, false);
          if (j.is_discarded() || !j.contains("content")) {
            fail(target + " is not a document");
          } else {
            if (j["content"].get<std::string>() != d.preview() ||
                j.value("complete", true) != (d.beyond().empty())) {
              ++previews_differ;
              fail(target + ": content is not doc::preview of the text");
            }
            for (const auto& item : j.value("outline", nlohmann::json::array())) {
              const std::string heading = item.value("text", "");
              if (text::count_code_points(heading) > 40) continue;  // not free: counted
              found[i].headings.emplace_back();
              append_plain(heading, found[i].headings.back());
            }
          }
        }
        if (measured) hold(r, readable(route.body, answer.body));
      }
      // The searches: a phrase found only beyond the preview of this text.
      const std::string phrase = measured ? tail_phrase(d) : "";
      if (!phrase.empty()) {
        ++searched;
        std::u32string typed;
        append_plain(phrase, typed);
        const std::pair<std::size_t, std::string> searches[] = {
            {kSearchPage, "/search?q=" + web::encode_query_value(phrase)},
            {kSearchApi, "/api/v1/search?q=" + web::encode_query_value("\"" + phrase + "\"")}};
        for (const auto& [r, target] : searches) {
          try {
            const auto answer = get(r, target);
            if (answer.status != 200) fail(target + " answered " + std::to_string(answer.status));
            auto read = readable(r == kSearchPage ? Body::kMarkup : Body::kJson, answer.body);
            blank_out(read, typed);
            hold(r, read);
          } catch (const std::exception& e) {
            fail(target + ": " + e.what());
          }
        }
      }
      if (!measured || held.empty()) continue;
      for_each_shingle(tail, [&](std::size_t pos, std::uint64_t h) {
        const auto it = held.find(h);
        if (it == held.end()) return;
        found[i].matches.push_back({static_cast<std::uint32_t>(pos), it->second, is_free(h)});
      });
    }
    std::lock_guard lock(mutex);
    for (std::size_t r = 0; r < kRouteCount; ++r) {
      requests_per_route[r] += requests[r];
      seconds_per_route[r] += seconds[r];
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kConnections; ++t) threads.emplace_back(guest);
  for (auto& t : threads) t.join();
  const double per_document_seconds = seconds_since(start);
  const double guest_cpu_seconds = cpu_seconds() - cpu_at_start;

  // 2. The lists, once, now that the guest's reading has made some documents hot.
  std::vector<std::string> lists = {"/",
                                    "/hot",
                                    "/hot?period=month",
                                    "/api/v1/hot",
                                    "/api/v1/hot?period=month&limit=50",
                                    "/sitemap.xml",
                                    "/sitemap-1.xml"};
  std::set<std::string> categories;
  for (const auto& d : docs) categories.insert(d.category);
  for (const auto& c : categories) {
    lists.push_back(web::category_path(c));
    lists.push_back(web::category_path(c) + "?sort=hot");
  }
  std::unordered_set<std::uint64_t> listed;
  {
    Connection connection(port);
    for (const auto& target : lists) {
      const auto sent = Clock::now();
      const auto answer = connection.get(target);
      seconds_per_route[kLists] += seconds_since(sent);
      ++requests_per_route[kLists];
      EXPECT_EQ(answer.status, 200) << target;
      const bool json = target.starts_with("/api/");
      for_each_shingle(readable(json ? Body::kJson : Body::kMarkup, answer.body),
                       [&](std::size_t, std::uint64_t h) { listed.insert(h); });
    }
  }

  // 3. The tally: per document, the union of the runs' positions, per route and in all.
  struct Worst {
    double share;
    std::string id, category, route;
    std::size_t chars, revealed;
  };
  std::vector<Worst> worst, worst_body;
  std::map<std::string, testing::Reveal> by_category;
  testing::Reveal all, raw, headings_only, body;
  std::vector<std::size_t> by_route(kRouteCount, 0), by_route_raw(kRouteCount, 0);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const GatedDoc& d = docs[i];
    std::u32string tail;
    append_plain(d.beyond(), tail);
    // The route bits of each position, from the runs holding it: all of them (raw), those not
    // free (bits), and of these those that are not part of a heading either (body_bits).
    std::unordered_set<std::uint64_t> heading_runs;
    for (const auto& h : found[i].headings) {
      for_each_shingle(h, [&](std::size_t, std::uint64_t x) { heading_runs.insert(x); });
    }
    std::vector<std::uint16_t> raw_bits(tail.size(), 0), bits(tail.size(), 0),
        body_bits(tail.size(), 0);
    std::size_t k = 0;  // the next of found[i].matches, which are in position order
    for_each_shingle(tail, [&](std::size_t pos, std::uint64_t h) {
      std::uint16_t routes = 0;
      bool free = false;
      if (k < found[i].matches.size() && found[i].matches[k].pos == pos) {
        routes = found[i].matches[k].routes;
        free = found[i].matches[k++].free;
      }
      if (listed.contains(h)) {
        routes |= static_cast<std::uint16_t>(1u << kLists);
        free = is_free(h);
      }
      if (routes == 0) return;
      const bool heading = heading_runs.contains(h);
      for (std::size_t p = pos; p < pos + kShingle; ++p) {
        raw_bits[p] |= routes;
        if (!free) bits[p] |= routes;
        if (!free && !heading) body_bits[p] |= routes;
      }
    });
    const auto in_heading = heading_positions(tail, found[i].headings);
    std::vector<std::size_t> doc_route(kRouteCount, 0), doc_route_body(kRouteCount, 0);
    std::size_t doc_all = 0, doc_raw = 0, doc_body = 0;
    for (std::size_t p = 0; p < tail.size(); ++p) {
      if (raw_bits[p] == 0) continue;
      ++doc_raw;
      for (std::size_t r = 0; r < kRouteCount; ++r) by_route_raw[r] += (raw_bits[p] >> r) & 1u;
      if (bits[p] == 0) continue;
      ++doc_all;
      for (std::size_t r = 0; r < kRouteCount; ++r) doc_route[r] += (bits[p] >> r) & 1u;
      if (body_bits[p] == 0 || in_heading[p]) continue;
      ++doc_body;
      for (std::size_t r = 0; r < kRouteCount; ++r) doc_route_body[r] += (body_bits[p] >> r) & 1u;
    }
    const std::size_t doc_heading = doc_all - doc_body;
    for (std::size_t r = 0; r < kRouteCount; ++r) by_route[r] += doc_route[r];
    all.add(d.id, tail.size(), doc_all);
    raw.add(d.id, tail.size(), doc_raw);
    headings_only.add(d.id, tail.size(), doc_heading);
    body.add(d.id, tail.size(), doc_body);
    by_category[d.category].add(d.id, tail.size(), doc_all);
    // The route that shows most of the document's tail.
    auto top = [](const std::vector<std::size_t>& counts) {
      return route_name(static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) -
                                                 counts.begin()));
    };
    const double n = static_cast<double>(tail.size());
    if (doc_all > 0) {
      worst.push_back({doc_all / n, d.id, d.category, top(doc_route), tail.size(), doc_all});
    }
    if (doc_body > 0) {
      worst_body.push_back(
          {doc_body / n, d.id, d.category, top(doc_route_body), tail.size(), doc_body});
    }
  }
  std::sort(worst.begin(), worst.end(),
            [](const Worst& a, const Worst& b) { return a.share > b.share; });

  std::size_t requests = 0;
  for (auto n : requests_per_route) requests += n;
  std::printf(
      "guest pass: %zu gated documents (%zu with a tail searched), %zu requests over %zu "
      "connections in %.1f s (%.0f requests/s; the guest's own CPU: %.1f s)\n",
      docs.size(), searched.load(), requests, kConnections, per_document_seconds,
      static_cast<double>(requests) / per_document_seconds, guest_cpu_seconds);
  std::printf("text beyond the previews: %zu chars (whitespace left out) in %zu documents\n",
              all.chars, all.docs);
  std::printf(
      "revealed to guests, by route (runs of >= %zu chars; time summed over the connections; "
      "raw: runs free in some preview or title counted too):\n",
      kShingle);
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    std::printf("  %-50s %6zu requests %6.1f s %8zu chars = %6.3f %% (raw %8zu = %6.3f %%)\n",
                route_name(r).c_str(), requests_per_route[r], seconds_per_route[r], by_route[r],
                100.0 * static_cast<double>(by_route[r]) / static_cast<double>(all.chars),
                by_route_raw[r],
                100.0 * static_cast<double>(by_route_raw[r]) / static_cast<double>(all.chars));
  }
  std::printf("by category (worst document of each):\n");
  for (const auto& [category, r] : by_category) {
    testing::print_reveal(category, r, "revealed beyond the preview");
  }
  std::printf(
      "overall: %.3f %% of the gated text beyond the previews revealed (%zu of %zu chars; %.3f "
      "%% of it in outline headings, %.3f %% other text); raw, with runs free in some preview or "
      "title: %.3f %%\n",
      100 * all.share(), all.revealed, all.chars, 100 * headings_only.share(), 100 * body.share(),
      100 * raw.share());
  std::printf("the 5 documents revealed most:\n");
  for (std::size_t k = 0; k < worst.size() && k < 5; ++k) {
    std::printf("  %-22s %-12s %6.2f %% (%zu of %zu chars), most by %s\n", worst[k].id.c_str(),
                worst[k].category.c_str(), 100 * worst[k].share, worst[k].revealed, worst[k].chars,
                worst[k].route.c_str());
  }
  std::printf("the 5 documents revealed most, outline headings aside:\n");
  std::sort(worst_body.begin(), worst_body.end(),
            [](const Worst& a, const Worst& b) { return a.share > b.share; });
  for (std::size_t k = 0; k < worst_body.size() && k < 5; ++k) {
    std::printf("  %-22s %-12s %6.2f %% (%zu of %zu chars), most by %s\n", worst_body[k].id.c_str(),
                worst_body[k].category.c_str(), 100 * worst_body[k].share, worst_body[k].revealed,
                worst_body[k].chars, worst_body[k].route.c_str());
  }
  std::printf("whole guest test: %.1f s\n", seconds_since(start));

  EXPECT_EQ(failure_count.load(), 0u) << "guest requests that failed; the first of them:";
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_EQ(previews_differ.load(), 0u) << "guests must get exactly doc::preview of a gated text";
  EXPECT_GT(searched.load(), docs.size() / 4) << "tails to search for";
  EXPECT_LT(all.share(), 0.01) << "guests read " << 100 * all.share()
                               << " % of the gated text beyond the previews";
  // access::kFreeOutlineShare (5 %) caps the bytes of the headings shown; a heading whose
  // words recur in the text (a 司法解释's 第…条 quoting its own heading) counts again at each
  // place it recurs, hence the margin.
  EXPECT_LT(all.worst_share, 0.15) << all.worst_id << " reveals " << 100 * all.worst_share
                                   << " % of its text beyond the preview";
}

TEST_F(GuestRevealTest, AMemberReadsTheWholeGatedText) {
  const int port = server_->port();
  // Log in: the form's csrf_token is bound to its wk_form cookie.
  auto cookie_of = [](const web::testing_http::Reply& reply, const std::string& name) {
    for (const auto& field : reply.headers) {
      if (field.name() != http::field::set_cookie) continue;
      const std::string value(field.value());
      if (value.starts_with(name + "=")) return value.substr(0, value.find(';'));
    }
    return std::string();
  };
  const auto form = web::testing_http::get(port, "/login");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(form.body, m,
                                std::regex(R"re(name="csrf_token" value="([0-9a-f]{64})")re")));
  const auto login = web::testing_http::fetch(
      port, http::verb::post, "/login",
      {{http::field::content_type, "application/x-www-form-urlencoded"},
       {http::field::cookie, cookie_of(form, "wk_form")}},
      std::string("username=") + kMember + "&password=" + kPassword + "&csrf_token=" + m[1].str());
  ASSERT_EQ(login.status, 303) << login.body;
  const std::string session = cookie_of(login, "wk_session");
  ASSERT_FALSE(session.empty());

  std::vector<const GatedDoc*> sample;
  std::size_t long_texts = 0;
  for (const auto& d : *docs_) long_texts += !d.beyond().empty() && !d.vip;
  const std::size_t every = std::max<std::size_t>(1, long_texts / kMemberSample);
  std::size_t n = 0;
  for (const auto& d : *docs_) {
    if (d.vip) sample.push_back(&d);
    if (!d.beyond().empty() && !d.vip && n++ % every == 0) sample.push_back(&d);
  }
  ASSERT_GE(sample.size(), kMemberSample);
  Connection connection(port);
  for (const GatedDoc* d : sample) {
    const auto answer = connection.get("/api/v1/docs/" + d->id, session);
    ASSERT_EQ(answer.status, 200) << d->id;
    const auto j = nlohmann::json::parse(answer.body);
    if (d->vip) {
      EXPECT_EQ(j["complete"], false) << d->id << " is 会员专享: a member reads its preview";
      EXPECT_TRUE(j["content"] == d->preview())
          << d->id << ": " << j["content"].get_ref<const std::string&>().size()
          << " bytes, the preview has " << d->preview().size();
    } else {
      EXPECT_EQ(j["complete"], true) << d->id;
      EXPECT_TRUE(j["content"] == d->content)
          << d->id << " is 登录可读: a member reads it whole, not "
          << j["content"].get_ref<const std::string&>().size() << " of its " << d->content.size()
          << " bytes";
    }
  }
}

}  // namespace
}  // namespace wenku
