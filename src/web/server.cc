// RESTinio wiring: routes -> handlers -> Pages, plus static assets and signal handling.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include "web/server.h"

#include <algorithm>
#include <charconv>
#include <csignal>
#include <exception>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <restinio/all.hpp>

#include "doc/analysis.h"
#include "io/export.h"
#include "search/searcher.h"
#include "store/store.h"
#include "text/utf8.h"
#include "web/api.h"
#include "web/assets.h"
#include "web/pages.h"

namespace wenku::web {

namespace {

using Router = restinio::router::express_router_t<>;
using Traits = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t, Router>;
using Server = restinio::http_server_t<Traits>;
using Request = restinio::request_handle_t;
using Params = restinio::router::route_params_t;
using Status = restinio::request_handling_status_t;
using Query = restinio::query_string_params_t;
using Handler = std::function<Status(const Request&, Params)>;

constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::size_t kHomePageSize = 20;
constexpr std::size_t kSearchPageSize = 10;
constexpr std::size_t kMaxPage = 1000;  // deeper pages are refused, not computed
constexpr std::string_view kImmutable = "public, max-age=31536000";

// Sends `body` with the headers every response carries.
Status send(const Request& req, restinio::http_status_line_t status, std::string_view content_type,
            std::string body) {
  return req->create_response(std::move(status))
      .append_header(restinio::http_field::content_type, std::string(content_type))
      .append_header("X-Content-Type-Options", "nosniff")
      .append_header("Content-Security-Policy",
                     "default-src 'self'; base-uri 'none'; frame-ancestors 'none'")
      .set_body(std::move(body))
      .done();
}

// The value of `page` in `query`: 1 when absent or not a positive number; 0 (meaning
// "refuse") when beyond kMaxPage.
std::size_t page_param(const Query& query) {
  auto value = query.get_param("page");
  if (!value) return 1;
  std::size_t page = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), page);
  if (ec == std::errc::result_out_of_range) return 0;
  if (ec != std::errc() || end != value->data() + value->size() || page == 0) return 1;
  return page <= kMaxPage ? page : 0;
}

// Route handlers. Each answers one request; exceptions are turned into the 500 page by
// `guard`.
class Site {
 public:
  Site(Services services, const ServerOptions& options)
      : services_(services), options_(options), pages_(options.site_name) {}

  // The routes of the site.
  std::unique_ptr<Router> router() const {
    auto router = std::make_unique<Router>();
    router->http_get("/", guard([this](const Request& r, Params) { return home(r); }));
    router->http_get("/doc/:id",
                     guard([this](const Request& r, Params p) { return document(r, p["id"]); }));
    router->http_get("/doc/:id/template", guard([this](const Request& r, Params p) {
                       return document_template(r, p["id"]);
                     }));
    router->http_get("/doc/:id/tasks.csv", guard([this](const Request& r, Params p) {
                       return tasks_download(r, p["id"], TaskFormat::kCsv);
                     }));
    router->http_get("/doc/:id/tasks.xlsx", guard([this](const Request& r, Params p) {
                       return tasks_download(r, p["id"], TaskFormat::kXlsx);
                     }));
    router->http_get("/doc/:id/tasks", guard([this](const Request& r, Params p) {
                       return tasks_download(r, p["id"], TaskFormat::kPage);
                     }));
    router->http_get("/search", guard([this](const Request& r, Params) { return search(r); }));
    router->http_get("/register", guard([this](const Request& r, Params) {
                       return send(r, restinio::status_ok(), kHtml, pages_.register_soon());
                     }));
    router->http_get("/healthz", [](const Request& r, Params) {
      return send(r, restinio::status_ok(), "text/plain; charset=utf-8", "ok");
    });
    router->http_get("/static/:file",
                     [](const Request& r, Params p) { return asset(r, p["file"]); });
    add_api_routes(*router, services_, options_.policy);
    router->non_matched_request_handler([this](const Request& r) { return error(r, 404); });
    return router;
  }

 private:
  // Wraps `handler` so that an exception becomes a logged 500 page.
  Handler guard(Handler handler) const {
    return [this, handler = std::move(handler)](const Request& req, Params params) {
      try {
        return handler(req, std::move(params));
      } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", req->header().method().c_str(), req->header().request_target(),
                      e.what());
        return error(req, 500);
      }
    };
  }

  Status error(const Request& req, int code) const {
    auto status = code == 404   ? restinio::status_not_found()
                  : code == 400 ? restinio::status_bad_request()
                                : restinio::status_internal_server_error();
    return send(req, std::move(status), kHtml, pages_.error(code));
  }

  // Parses the query string, or nullopt when it is malformed (bad escapes, invalid UTF-8).
  static std::optional<Query> query_of(const Request& req) {
    auto parsed =
        restinio::try_parse_query<restinio::parse_query_traits::relaxed>(req->header().query());
    if (!parsed) return std::nullopt;
    return std::move(*parsed);
  }

  Status home(const Request& req) const {
    auto query = query_of(req);
    std::size_t page = query ? page_param(*query) : 0;
    if (page == 0) return error(req, 400);
    auto& store = services_.store;
    PageInfo info = paginate(store.count(), kHomePageSize, page);
    if (page > info.pages) return error(req, 404);
    store::ListQuery list;
    list.limit = kHomePageSize;
    list.offset = (page - 1) * kHomePageSize;
    auto latest = store.list(list);
    return send(req, restinio::status_ok(), kHtml, pages_.home(latest, store.categories(), info));
  }

  Status document(const Request& req, std::string_view id) const {
    auto d = services_.store.get(id);
    if (!d) return error(req, 404);
    auto visible = access::visible(*d, access::Viewer{}, options_.policy);
    if (!visible.exists) return error(req, 404);
    return send(req, restinio::status_ok(), kHtml, pages_.document(*d, visible));
  }

  // The document `id` and what a guest may read of it, or nullopt when it is unknown.
  std::optional<std::pair<doc::Document, access::Visible>> visible_document(
      std::string_view id) const {
    auto d = services_.store.get(id);
    if (!d) return std::nullopt;
    auto visible = access::visible(*d, access::Viewer{}, options_.policy);
    if (!visible.exists) return std::nullopt;
    return std::pair{std::move(*d), std::move(visible)};
  }

  Status document_template(const Request& req, std::string_view id) const {
    const auto found = visible_document(id);
    if (!found) return error(req, 404);
    const auto& [d, visible] = *found;
    const auto text =
        io::visible_template(doc::analysis_from_json(d.analysis), visible, services_.places);
    return send(req, restinio::status_ok(), kHtml, pages_.template_page(d, text, visible.complete));
  }

  enum class TaskFormat { kPage, kCsv, kXlsx };

  // The 任务分解表 of document `id` as a page or a download; 404 when it has no tasks.
  Status tasks_download(const Request& req, std::string_view id, TaskFormat format) const {
    const auto found = visible_document(id);
    if (!found) return error(req, 404);
    const auto& [d, visible] = *found;
    const auto analysis = doc::analysis_from_json(d.analysis);
    if (analysis.tasks.empty()) return error(req, 404);
    const auto rows = io::visible_tasks(d, analysis.tasks, visible);
    if (format == TaskFormat::kPage) {
      return send(req, restinio::status_ok(), kHtml, pages_.tasks_page(d, rows, visible.complete));
    }
    const bool csv = format == TaskFormat::kCsv;
    return req->create_response()
        .append_header(restinio::http_field::content_type,
                       csv ? "text/csv; charset=utf-8"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .append_header(
            restinio::http_field::content_disposition,
            csv ? "attachment; filename=\"tasks.csv\"" : "attachment; filename=\"tasks.xlsx\"")
        .append_header("X-Content-Type-Options", "nosniff")
        .set_body(csv ? io::tasks_csv(rows) : io::tasks_xlsx(rows, d.title))
        .done();
  }

  Status search(const Request& req) const {
    auto query = query_of(req);
    std::size_t page = query ? page_param(*query) : 0;
    if (page == 0) return error(req, 400);
    auto param = [&query](std::string_view name) {
      return std::string(text::trim(restinio::value_or(*query, name, restinio::string_view_t{})));
    };
    std::string q = param("q");
    auto sort = search::parse_sort(param("sort"));
    auto year = param("year");
    SearchFilters filters{param("cat"), 0, sort.value_or(search::SortOrder::kRelevance)};
    auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), filters.year);
    bool bad_year = !year.empty() && (ec != std::errc() || end != year.data() + year.size());
    if (!sort || bad_year || !text::is_valid_utf8(q)) return error(req, 400);
    search::SearchResponse response;
    if (!q.empty() || !filters.category.empty() || filters.year != 0) {
      search::SearchRequest request{q,
                                    kSearchPageSize,
                                    (page - 1) * kSearchPageSize,
                                    filters.sort,
                                    filters.category,
                                    filters.year};
      response = search::run_search(services_.index, services_.store, request, access::Viewer{},
                                    options_.policy);
    }
    PageInfo info = paginate(response.total, kSearchPageSize, page);
    return send(req, restinio::status_ok(), kHtml, pages_.search(q, response, info, filters));
  }

  // Serves an embedded asset; 304 when the client already holds this version.
  static Status asset(const Request& req, std::string_view path) {
    const Asset* a = find_asset(path);
    if (a == nullptr) {
      return send(req, restinio::status_not_found(), "text/plain; charset=utf-8", "not found");
    }
    auto if_none_match = req->header().opt_value_of(restinio::http_field::if_none_match);
    if (if_none_match && etag_matches(*if_none_match, a->etag)) {
      // No body; Content-Length, if sent, must be that of the 200 response (RFC 9110 8.6).
      return req
          ->create_response<restinio::user_controlled_output_t>(restinio::status_not_modified())
          .set_content_length(a->data.size())
          .append_header(restinio::http_field::etag, a->etag)
          .append_header(restinio::http_field::cache_control, std::string(kImmutable))
          .done();
    }
    return req->create_response()
        .append_header(restinio::http_field::content_type, std::string(a->content_type))
        .append_header(restinio::http_field::etag, a->etag)
        .append_header(restinio::http_field::cache_control, std::string(kImmutable))
        .append_header("X-Content-Type-Options", "nosniff")
        .set_body(std::string(a->data))
        .done();
  }

  Services services_;
  const ServerOptions& options_;
  Pages pages_;
};

}  // namespace

void serve(Services services, const ServerOptions& options,
           const std::function<void()>& on_listening) {
  Site site(services, options);
  Server server{restinio::own_io_context(), [&](auto& settings) {
                  settings.address(options.host).port(options.port).request_handler(site.router());
                }};
  restinio::on_pool_runner_t<Server> runner{std::max(1u, options.threads), server};

  restinio::asio_ns::signal_set signals{server.io_context(), SIGINT, SIGTERM};
  signals.async_wait([&runner](const restinio::asio_ns::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    runner.stop();
  });

  std::exception_ptr open_error;
  std::exception_ptr listening_error;
  runner.start(
      [&]() noexcept {
        if (!on_listening) return;
        try {
          on_listening();
        } catch (...) {
          listening_error = std::current_exception();
          runner.stop();
        }
      },
      [&](std::exception_ptr e) noexcept { open_error = std::move(e); });
  runner.wait();

  if (open_error) {
    try {
      std::rethrow_exception(open_error);
    } catch (const std::exception& e) {
      throw std::runtime_error(
          fmt::format("cannot listen on {}:{}: {}", options.host, options.port, e.what()));
    }
  }
  if (listening_error) std::rethrow_exception(listening_error);
}

}  // namespace wenku::web
