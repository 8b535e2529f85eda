// JSON API handlers: parameters in, search / store calls, JSON out.
#include "web/api/api.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "doc/analysis.h"
#include "search/searcher.h"
#include "store/store.h"
#include "text/utf8.h"
#include "web/http/errors.h"
#include "web/http/forms.h"
#include "web/http/http.h"
#include "web/site/hot.h"
#include "web/site/members.h"

namespace wenku::web {

namespace {

using nlohmann::json;

constexpr std::size_t kDefaultLimit = 10;
constexpr std::size_t kMaxLimit = 100;
constexpr std::size_t kMaxQueryBytes = 1000;
constexpr std::size_t kSuggestLimit = 10;

Status send_json(const Request& req, restinio::http_status_line_t status, const json& body,
                 ResponseOptions options = {}) {
  options.cache_control = "no-store";
  return send(req, std::move(status), kJson,
              body.dump(-1, ' ', false, json::error_handler_t::replace), options);
}

Status send_error(const Request& req, restinio::http_status_line_t status, std::string_view what) {
  return send_json(req, std::move(status), {{"error", what}});
}

Query parse_query_string(const Request& req) {
  auto parsed = query_of(req);
  if (!parsed) throw RequestError(400, "malformed query string");
  return std::move(*parsed);
}

// The text parameter `name` ("" when absent); must be valid UTF-8 of at most kMaxQueryBytes.
std::string text_param(const Query& query, std::string_view name) {
  auto value = query.get_param(name);
  if (!value) return "";
  if (value->size() > kMaxQueryBytes) throw RequestError(400, std::string(name) + " is too long");
  if (!text::is_valid_utf8(*value))
    throw RequestError(400, std::string(name) + " is not valid UTF-8");
  return std::string(text::trim(*value));
}

// The number parameter `name` in [min, max]; `fallback` when absent or empty.
std::size_t number_param(const Query& query, std::string_view name, std::size_t fallback,
                         std::size_t min, std::size_t max) {
  auto value = query.get_param(name);
  if (!value || value->empty()) return fallback;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size() || n < min || n > max) {
    throw RequestError(400, std::string(name) + " must be a number from " + std::to_string(min) +
                                " to " + std::to_string(max));
  }
  return n;
}

class Api {
 public:
  Api(Services services, SettingsCache& settings, HotLists& hot, access::Accounts& accounts)
      : services_(services), settings_(settings), hot_(hot), accounts_(accounts) {}

  Status search(const Request& req) const {
    auto query = parse_query_string(req);
    search::SearchRequest request;
    request.query = text_param(query, "q");
    if (auto refusal = search::query_refusal(request.query); !refusal.empty()) {
      throw RequestError(400, refusal);
    }
    request.category = text_param(query, "cat");
    request.year = static_cast<int>(number_param(query, "year", 0, 1, 9999));
    auto sort = search::parse_sort(text_param(query, "sort"));
    if (!sort) throw RequestError(400, "sort must be relevance, newest or hot");
    request.sort = *sort;
    std::size_t page = number_param(query, "page", 1, 1, kMaxPage);
    request.limit = number_param(query, "limit", kDefaultLimit, 1, kMaxLimit);
    request.offset = (page - 1) * request.limit;
    search::SearchResponse response;
    if (!request.query.empty() || !request.category.empty() || request.year != 0) {
      response = search::run_search(services_.index, services_.store, request,
                                    viewer_of(req, accounts_), settings_.get()->policy());
    }
    return send_json(req, restinio::status_ok(),
                     search::search_response_json(request.query, page, response));
  }

  Status suggest(const Request& req) const {
    auto query = parse_query_string(req);
    auto q = text_param(query, "q");
    if (auto refusal = search::query_refusal(q); !refusal.empty()) throw RequestError(400, refusal);
    std::size_t limit = number_param(query, "limit", kSuggestLimit, 1, kMaxLimit);
    return send_json(req, restinio::status_ok(),
                     {{"query", q}, {"suggestions", services_.index.suggest(q, limit)}});
  }

  Status related(const Request& req, std::string_view id) const {
    auto query = parse_query_string(req);
    std::size_t limit = number_param(query, "limit", kDefaultLimit, 1, kMaxLimit);
    auto related = search::find_related(services_.index, services_.store, id, limit,
                                        viewer_of(req, accounts_), settings_.get()->policy());
    if (!related) return send_error(req, restinio::status_not_found(), "no such document");
    return send_json(req, restinio::status_ok(),
                     {{"id", id}, {"related", search::related_json(*related)}});
  }

  Status document(const Request& req, std::string_view id) const {
    auto d = services_.store.get(id);
    auto r = d ? access::readable(*d, viewer_of(req, accounts_), settings_.get()->policy())
               : std::nullopt;
    if (!r) return send_error(req, restinio::status_not_found(), "no such document");
    return send_json(req, restinio::status_ok(), document_json(*r));
  }

  Status hot(const Request& req) const {
    auto query = parse_query_string(req);
    auto period = parse_hot_period(text_param(query, "period"));
    if (!period) throw RequestError(400, "period must be week or month");
    std::size_t limit = number_param(query, "limit", kDefaultLimit, 1, HotLists::kMaxLimit);
    json docs = json::array();
    for (const auto& h : hot_.top(*period, limit)) {
      docs.push_back({{"id", h.doc.id},
                      {"title", h.doc.title},
                      {"date", h.doc.date},
                      {"category", h.doc.category},
                      {"views", h.doc.views},
                      {"period_views", h.period_views}});
    }
    return send_json(req, restinio::status_ok(),
                     {{"period", hot_period_name(*period)}, {"docs", std::move(docs)}});
  }

 private:
  // /api/v1/docs/:id's answer (docs/api.md): what `r` lets its viewer read, with the outline
  // of the whole text (free for every viewer, like the document page's).
  static json document_json(const access::Readable& r) {
    json outline = json::array();
    for (const auto& item : r.outline()) outline.push_back(item);
    return {{"id", r.id()},
            {"title", r.title()},
            {"title_derived", r.title_derived()},
            {"date", r.date()},
            {"category", r.category()},
            {"subcategory", r.subcategory()},
            {"views", r.views()},
            {"keywords", r.keywords()},
            {"complete", r.complete()},
            {"content", r.text()},
            {"source_note", r.source_note()},
            {"outline", std::move(outline)}};
  }

  Services services_;
  SettingsCache& settings_;
  HotLists& hot_;
  access::Accounts& accounts_;
};

}  // namespace

Status write_api_failure(const Request& req, const Failure& failure) {
  ResponseOptions options;
  options.retry_after = failure.retry_after;
  return send_json(req, status_line(failure.status), {{"error", failure.message}}, options);
}

void add_api_routes(Router& router, Services services, SettingsCache& settings, HotLists& hot,
                    access::Accounts& accounts) {
  auto api = std::make_shared<const Api>(services, settings, hot, accounts);
  const auto route = [&router](std::string_view path, Handler handler) {
    router.get_and_head(path, guarded(std::move(handler), write_api_failure));
  };
  route("/api/v1/search", [api](const Request& r, Params) { return api->search(r); });
  route("/api/v1/suggest", [api](const Request& r, Params) { return api->suggest(r); });
  route("/api/v1/related/:id",
        [api](const Request& r, Params p) { return api->related(r, p["id"]); });
  route("/api/v1/docs/:id",
        [api](const Request& r, Params p) { return api->document(r, p["id"]); });
  route("/api/v1/hot", [api](const Request& r, Params) { return api->hot(r); });
}

}  // namespace wenku::web
