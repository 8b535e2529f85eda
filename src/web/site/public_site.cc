#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include "web/site/public_site.h"

#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <xxhash.h>
#include <restinio/all.hpp>

#include "doc/tasks.h"
#include "io/export.h"
#include "io/word.h"
#include "search/searcher.h"
#include "store/store.h"
#include "web/http/errors.h"
#include "web/http/forms.h"
#include "web/http/http.h"
#include "web/http/ttl_cache.h"
#include "web/http/url.h"
#include "web/site/assets.h"
#include "web/site/members.h"
#include "web/site/pages.h"
#include "web/site/sitemap.h"
#include "web/site/views.h"

namespace wenku::web {

namespace {

constexpr std::size_t kHomePageSize = 20;
constexpr std::size_t kListPageSize = 20;  // category pages
constexpr std::size_t kSearchPageSize = 10;
constexpr std::size_t kHotTabSize = 10;  // 热门推荐 beside pages; /hot shows HotLists::kMaxLimit
constexpr std::size_t kRelatedSize = 8;
constexpr std::string_view kImmutable = "public, max-age=31536000";
constexpr std::string_view kShortCache = "public, max-age=300";  // QR images, 微信订阅号 image
constexpr std::string_view kDayCache = "public, max-age=86400";  // /favicon.ico (no version)
constexpr std::string_view kXml = "application/xml; charset=utf-8";
constexpr std::string_view kText = "text/plain; charset=utf-8";

// When the embedded static files last changed: the executable's modification time (they are
// built into it), so every process and restart agrees; the start time if it cannot be read.
std::int64_t static_files_time() {
  std::error_code ec;
  auto written = std::filesystem::last_write_time("/proc/self/exe", ec);
  if (ec) return static_cast<std::int64_t>(std::time(nullptr));
  auto system = std::chrono::file_clock::to_sys(written);
  return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

// A strong ETag of `data` (64-bit XXH3).
std::string etag_of(std::string_view data) {
  return fmt::format("\"{:016x}\"", XXH3_64bits(data.data(), data.size()));
}

// Sends a cacheable representation with its validators (`options.etag`, `last_modified`
// seconds since the epoch or 0), or 304 without body when the request's conditional headers
// show the client holds it: If-None-Match when present, else If-Modified-Since (RFC 9110
// 13.2.2).
Status send_cacheable(const Request& req, std::string_view content_type, std::string body,
                      ResponseOptions options, std::int64_t last_modified) {
  const auto& header = req->header();
  bool fresh = false;
  if (auto if_none_match = header.opt_value_of(restinio::http_field::if_none_match)) {
    fresh = etag_matches(*if_none_match, options.etag);
  } else if (auto since = header.opt_value_of(restinio::http_field::if_modified_since);
             since && last_modified > 0) {
    auto t = parse_http_date(*since);
    fresh = t && *t >= last_modified;
  }
  if (last_modified > 0) options.last_modified = http_date(last_modified);
  return send(req, fresh ? restinio::status_not_modified() : restinio::status_ok(), content_type,
              std::move(body), options);
}

// Route handlers. Each answers one request; exceptions are turned into the 500 page by
// `guard`.
}  // namespace

class PublicSite::Impl {
 public:
  Impl(Services services, SettingsCache& settings, access::Accounts& accounts, HotLists& hot,
       const Layout& layout)
      : services_(services),
        settings_(settings),
        accounts_(accounts),
        hot_(hot),
        layout_(layout),
        pages_(layout.renderer()),
        sitemap_(services.store),
        views_(services.store),
        static_time_(static_files_time()) {}

  // The public routes (pages answer HEAD as well as GET).
  void add_routes(Router& router) const {
    router.get_and_head("/", guard([this](const Request& r, Params) { return home(r); }));
    router.get_and_head("/doc/:id",
                        guard([this](const Request& r, Params p) { return document(r, p["id"]); }));
    router.get_and_head("/doc/:id/template", guard([this](const Request& r, Params p) {
                          return document_template(r, p["id"]);
                        }));
    router.http_get("/doc/:id/tasks.csv", guard([this](const Request& r, Params p) {
                      return tasks_download(r, p["id"], TaskFormat::kCsv);
                    }));
    router.http_get("/doc/:id/tasks.xlsx", guard([this](const Request& r, Params p) {
                      return tasks_download(r, p["id"], TaskFormat::kXlsx);
                    }));
    router.http_get("/doc/:id/tasks.docx", guard([this](const Request& r, Params p) {
                      return tasks_download(r, p["id"], TaskFormat::kDocx);
                    }));
    router.http_get("/doc/:id/word.docx", guard([this](const Request& r, Params p) {
                      return word_download(r, p["id"], false);
                    }));
    router.http_get("/doc/:id/template.docx", guard([this](const Request& r, Params p) {
                      return word_download(r, p["id"], true);
                    }));
    router.get_and_head("/doc/:id/tasks", guard([this](const Request& r, Params p) {
                          return tasks_download(r, p["id"], TaskFormat::kPage);
                        }));
    router.get_and_head("/qr/doc/:id.svg", guard([this](const Request& r, Params p) {
                          return document_qr(r, p["id"]);
                        }));
    router.get_and_head("/site/wechat-qr",
                        guard([this](const Request& r, Params) { return wechat_image(r); }));
    router.get_and_head("/category/:name", guard([this](const Request& r, Params p) {
                          return category(r, p["name"]);
                        }));
    router.get_and_head("/hot", guard([this](const Request& r, Params) { return hot(r); }));
    router.get_and_head("/topic/:slug",
                        guard([this](const Request& r, Params p) { return topic(r, p["slug"]); }));
    router.get_and_head("/search", guard([this](const Request& r, Params) { return search(r); }));
    router.get_and_head("/sitemap.xml", guard([this](const Request& r, Params) {
                          return sitemap(r, std::nullopt);
                        }));
    router.get_and_head(R"(/sitemap-:n(\d{1,6}).xml)", guard([this](const Request& r, Params p) {
                          return sitemap(r, restinio::cast_to<std::size_t>(p["n"]));
                        }));
    router.get_and_head("/robots.txt", guard([this](const Request& r, Params) {
                          return send(r, restinio::status_ok(), kText,
                                      robots_txt(base_url(*settings_.get())));
                        }));
    router.get_and_head("/favicon.ico",
                        guard([this](const Request& r, Params) { return favicon(r); }));
    // Liveness; X-Wenku-Worker names the process that answered (`serve --workers N`).
    router.get_and_head("/healthz", [](const Request& r, Params) {
      ResponseOptions options;
      options.cache_control = "no-store";
      options.headers = {{"X-Wenku-Worker", std::to_string(::getpid())}};
      return send(r, restinio::status_ok(), kText, "ok", options);
    });
    router.get_and_head("/static/:file",
                        [this](const Request& r, Params p) { return asset(r, p["file"]); });
  }

 private:
  // `handler`, with what it throws answered by the error page (errors.h).
  Handler guard(Handler handler) const {
    return guarded(std::move(handler), [this](const Request& req, const Failure& failure) {
      return layout_.error(req, failure, member_of(req, accounts_));
    });
  }

  std::string base_url(const SiteSettings& site) const { return layout_.base_url(site); }

  // Adds document `id` to the 阅读历史 of account `user_id`; a database that takes no writes
  // now (primary down, reads from a standby) skips it: the member still reads the page.
  void record_reading(std::int64_t user_id, std::string_view id) const {
    try {
      services_.store.add_history(user_id, id, std::time(nullptr));
    } catch (const store::StoreUnavailable& e) {
      spdlog::debug("reading history not recorded: {}", e.what());
    }
  }

  // What every page needs; `member` is the request's (member_of).
  PageEnv env(const SiteSettings& site, const std::optional<access::Member>& member) const {
    return layout_.env(site, member);
  }
  PageEnv env(const Request& req, const SiteSettings& site) const {
    return env(site, member_of(req, accounts_));
  }

  Status html(const Request& req, std::string body, const ResponseOptions& options = {}) const {
    return send(req, restinio::status_ok(), kHtml, std::move(body), options);
  }

  Status error(const Request& req, int code) const {
    return layout_.error(req, failure_of_status(code), member_of(req, accounts_));
  }

  HotTabs hot_tabs() const {
    return {hot_.top(HotPeriod::kWeek, kHotTabSize), hot_.top(HotPeriod::kMonth, kHotTabSize)};
  }

  // 相关内容 of document `id` for `viewer` under `policy`, cached for a few minutes per role
  // (a Groonga query per page view would dominate the page's cost; the excerpts depend on
  // the role only).
  std::vector<search::RelatedDoc> related(const std::string& id, const access::Viewer& viewer,
                                          const access::Policy& policy) const {
    const std::string key = fmt::format("{}\n{}\n{}\n{}", id, access::role_name(viewer.role),
                                        policy.guests_read_full_text, policy.preview_chars);
    return *related_cache_.get(key, [&] {
      auto found = search::find_related(services_.index, services_.store, id, kRelatedSize,
                                        access::Viewer{viewer.role, "", 0}, policy);
      return found ? std::move(*found) : std::vector<search::RelatedDoc>{};
    });
  }

  Status home(const Request& req) const {
    auto query = query_of(req);
    std::size_t page = query ? page_param(*query) : 0;
    if (page == 0) return error(req, 400);
    auto& store = services_.store;
    HomeData data;
    data.categories = store.category_list();
    // 最新范文: the documents of 范文 categories only (资料 are a click away, GenreNav).
    std::int64_t models = 0;
    std::string model_names;
    for (const auto& c : data.categories) {
      if (c.kind != store::CategoryKind::kModel) continue;
      models += c.count;
      model_names += c.name + '\x1f';
    }
    data.page = paginate(models, kHomePageSize, page);
    if (page > data.page.pages) return error(req, 404);
    // Listing 范文 by date costs ~10 ms on the corpus; the list is the same for every visitor
    // until the store changes or the admin changes which categories are 范文.
    data.latest =
        *latest_cache_.get(fmt::format("{}:{}:{}", page, store.last_seq(), model_names), [&] {
          store::ListQuery list;
          list.kind = store::CategoryKind::kModel;
          list.limit = kHomePageSize;
          list.offset = (page - 1) * kHomePageSize;
          return store.list(list);
        });
    data.hot = hot_tabs();
    data.topics = store.collections();
    const auto site = settings_.get();
    return html(req, pages_.home(env(req, *site), data));
  }

  Status document(const Request& req, std::string_view id) const {
    const auto site = settings_.get();
    const auto member = member_of(req, accounts_);
    const access::Viewer viewer = viewer_of(member);
    // The cheap stamp decides existence and cache validity; the text is read only to render.
    const auto doc_stamp = services_.store.stamp(id);
    if (!doc_stamp || !access::may_know(doc_stamp->deleted, viewer)) return error(req, 404);
    const std::string base = base_url(*site);
    const auto policy = site->policy();
    const auto render = [&] {
      auto d = services_.store.get(id);
      if (!d) throw DocumentGone{};
      auto r = access::readable(*d, viewer, policy);
      if (!r) throw DocumentGone{};
      const PageEnv page_env = env(*site, member);
      DocumentExtras extras{related(r->id(), viewer, policy), doc::has_tasks(*d), hot_tabs(),
                            *layout_.qr(base + "/doc/" + r->id()),
                            member && services_.store.is_favorite(member->user.id, r->id())};
      return pages_.document(page_env, *r, extras);
    };
    std::shared_ptr<const CompressedBody> page;
    try {
      if (member) {  // a member's page names the member and their 收藏: never shared
        auto body = render();
        page = std::make_shared<const CompressedBody>(CompressedBody{body, gzip(body)});
      } else {
        // The page as a guest sees it, cached: the key names the page and the stamp everything
        // that decides what it shows (access::readable's output depends on the viewer, a guest
        // here, and the policy, part of the settings).
        const std::string key = fmt::format("{}:{}\n{}", id.size(), id, base);
        const std::string stamp =
            fmt::format("guest {} {} {} {} {}", doc_stamp->seq, doc_stamp->views, site->version,
                        policy.guests_read_full_text, policy.preview_chars);
        page = page_cache_.get(key, stamp, render);
      }
    } catch (const DocumentGone&) {  // deleted between the stamp and the read
      return error(req, 404);
    }
    ResponseOptions options;
    if (req->header().method() == restinio::http_method_get()) {
      auto visitor = visitor_of(req);
      views_.record(id, visitor.key, user_agent(req));
      if (!visitor.set_cookie.empty()) options.set_cookies.push_back(std::move(visitor.set_cookie));
      if (member) record_reading(member->user.id, id);
    }
    if (member) options.cache_control = "private, no-store";
    return send(req, restinio::status_ok(), kHtml, page, options);
  }

  // Thrown by a page render that finds its document gone.
  struct DocumentGone {};

  // /qr/doc/{id}.svg: the QR code of the document's permalink.
  Status document_qr(const Request& req, std::string_view id) const {
    const auto site = settings_.get();
    const auto doc_stamp = services_.store.stamp(id);
    if (!doc_stamp || !access::may_know(doc_stamp->deleted, viewer_of(req, accounts_))) {
      return error(req, 404);
    }
    auto svg = layout_.qr(base_url(*site) + "/doc/" + std::string(id));
    ResponseOptions options;
    options.cache_control = kShortCache;
    options.etag = etag_of(*svg);
    return send_cacheable(req, "image/svg+xml", *svg, options, 0);
  }

  // /favicon.ico: the site icon (favicon_ico) with its validators.
  Status favicon(const Request& req) const {
    static const std::string etag = etag_of(favicon_ico());
    ResponseOptions options;
    options.cache_control = kDayCache;
    options.etag = etag;
    return send_cacheable(req, "image/x-icon", std::string(favicon_ico()), options, static_time_);
  }

  // /site/wechat-qr: the uploaded 微信订阅号 image.
  Status wechat_image(const Request& req) const {
    auto file = services_.store.site_file(kWechatImageFile);
    if (!file) return error(req, 404);
    ResponseOptions options;
    options.cache_control = kShortCache;
    options.etag = etag_of(file->data);
    return send_cacheable(req, file->content_type, std::move(file->data), options, 0);
  }

  Status category(const Request& req, std::string_view raw_name) const {
    auto name = decode_path_segment(raw_name);
    auto query = query_of(req);
    std::size_t page = query ? page_param(*query) : 0;
    if (!name || page == 0) return error(req, 400);
    const std::string sort_name = param(*query, "sort");
    if (!sort_name.empty() && sort_name != "newest" && sort_name != "hot") return error(req, 400);
    const auto sort =
        sort_name == "hot" ? store::SortOrder::kMostViewed : store::SortOrder::kNewest;
    const std::string wanted = *name == category_label("") ? "" : *name;
    const auto categories = services_.store.category_list();
    auto it = std::find_if(categories.begin(), categories.end(),
                           [&](const store::Category& c) { return c.name == wanted; });
    if (it == categories.end()) return error(req, 404);
    const PageInfo info = paginate(it->count, kListPageSize, page);
    if (page > info.pages) return error(req, 404);
    store::ListQuery list;
    list.category = wanted;
    list.sort = sort;
    list.limit = kListPageSize;
    list.offset = (page - 1) * kListPageSize;
    const auto docs = services_.store.list(list);
    const auto site = settings_.get();
    return html(req, pages_.category(env(req, *site), *it, docs, sort, info));
  }

  Status hot(const Request& req) const {
    auto query = query_of(req);
    auto period = query ? parse_hot_period(param(*query, "period")) : std::nullopt;
    if (!period) return error(req, 400);
    const auto site = settings_.get();
    return html(req, pages_.hot(env(req, *site), *period, hot_.top(*period, HotLists::kMaxLimit)));
  }

  Status topic(const Request& req, std::string_view raw_slug) const {
    auto slug = decode_path_segment(raw_slug);
    if (!slug) return error(req, 400);
    auto collection = services_.store.collection(*slug);
    if (!collection) return error(req, 404);
    const auto member = member_of(req, accounts_);
    std::vector<doc::Summary> docs;
    for (const auto& id : collection->ids) {
      auto d = services_.store.get(id);
      if (d && access::may_know(d->deleted, viewer_of(member))) docs.push_back(doc::summarize(*d));
    }
    const auto site = settings_.get();
    return html(req, pages_.topic(env(*site, member), *collection, docs));
  }

  // /sitemap.xml (`n` empty) or /sitemap-`n`.xml.
  Status sitemap(const Request& req, std::optional<std::size_t> n) const {
    const auto site = settings_.get();
    const std::string base = base_url(*site);
    auto body = n ? sitemap_.file(base, *n) : sitemap_.root(base);
    if (!body) return error(req, 404);
    return send(req, restinio::status_ok(), kXml, std::move(*body));
  }

  // Document `id` as the store holds it and what the viewer of `req` may read of it, or
  // nullopt when it is unknown to them.
  struct Gated {
    doc::Document stored;  // for what is derived from the whole text (tasks), never shown
    access::Readable readable;
  };
  std::optional<Gated> gated_document(const Request& req, std::string_view id) const {
    auto d = services_.store.get(id);
    if (!d) return std::nullopt;
    auto r = access::readable(*d, viewer_of(req, accounts_), settings_.get()->policy());
    if (!r) return std::nullopt;
    return Gated{std::move(*d), std::move(*r)};
  }

  Status document_template(const Request& req, std::string_view id) const {
    const auto found = gated_document(req, id);
    if (!found) return error(req, 404);
    const auto text = io::visible_template(found->readable, services_.places);
    const auto site = settings_.get();
    return html(req, pages_.template_page(env(req, *site), found->readable, text,
                                          doc::has_tasks(found->stored)));
  }

  // The GB/T 9704 Word file of document `id`'s text, or of its 模板版 when
  // `template_version`: only for a viewer who reads the whole text (403 with what to do
  // otherwise: log in, or become a VIP member).
  Status word_download(const Request& req, std::string_view id, bool template_version) const {
    const auto found = gated_document(req, id);
    if (!found) return error(req, 404);
    const auto& r = found->readable;
    if (!r.complete()) {
      throw RequestError(403, member_of(req, accounts_)
                                  ? "开通 VIP 会员后才能下载这篇文档的 Word 文件。"
                                  : "登录后才能下载这篇文档的 Word 文件。");
    }
    return download(req, io::text_docx(r, template_version, services_.places), kDocxType,
                    io::export_file_name(r.title(), template_version ? "模板版" : "", "docx"),
                    template_version ? "template.docx" : "document.docx");
  }

  static constexpr std::string_view kDocxType =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

  // Answers `bytes` as a file to save, named `file_name` (RFC 6266 with RFC 5987's UTF-8
  // form) and `ascii_name` for clients that read only the ASCII name.
  static Status download(const Request& req, std::string bytes, std::string_view content_type,
                         const std::string& file_name, const std::string& ascii_name) {
    ResponseOptions options;
    options.headers = {
        {"Content-Disposition", fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                                            ascii_name, encode_query_value(file_name))}};
    return send(req, restinio::status_ok(), content_type, std::move(bytes), options);
  }

  enum class TaskFormat { kPage, kCsv, kXlsx, kDocx };

  // The 任务分解表 of document `id` as a page or a download; 404 when it has no tasks.
  Status tasks_download(const Request& req, std::string_view id, TaskFormat format) const {
    const auto found = gated_document(req, id);
    if (!found) return error(req, 404);
    const auto tasks = doc::extract_tasks(found->stored);
    if (tasks.empty()) return error(req, 404);
    const auto& r = found->readable;
    const auto rows = io::visible_tasks(r, tasks);
    if (format == TaskFormat::kPage) {
      const auto site = settings_.get();
      return html(req, pages_.tasks_page(env(req, *site), r, rows, tasks.size()));
    }
    std::string bytes;
    std::string_view type = kDocxType;
    std::string_view extension = "docx";
    switch (format) {
      case TaskFormat::kCsv:
        bytes = io::tasks_csv(rows);
        type = "text/csv; charset=utf-8";
        extension = "csv";
        break;
      case TaskFormat::kXlsx:
        bytes = io::tasks_xlsx(rows, r.title());
        type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        extension = "xlsx";
        break;
      default:  // kDocx (the page was answered above)
        bytes = io::word_tasks(r.title(), rows);
    }
    return download(req, std::move(bytes), type,
                    io::export_file_name(r.title(), "任务分解表", extension),
                    fmt::format("tasks.{}", extension));
  }

  Status search(const Request& req) const {
    auto query = query_of(req);
    std::size_t page = query ? page_param(*query) : 0;
    if (page == 0) return error(req, 400);
    std::string q = param(*query, "q");
    auto sort = search::parse_sort(param(*query, "sort"));
    auto year = param(*query, "year");
    SearchFilters filters{param(*query, "cat"), 0, sort.value_or(search::SortOrder::kRelevance)};
    auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), filters.year);
    bool bad_year = !year.empty() && (ec != std::errc() || end != year.data() + year.size());
    if (!sort || bad_year) return error(req, 400);
    const auto site = settings_.get();
    const auto member = member_of(req, accounts_);
    // A query refused for its size is a bad request: the page says why.
    const std::string refusal = search::query_refusal(q);
    search::SearchResponse response;
    if (!refusal.empty()) {
      response.notice = refusal;
    } else if (!q.empty() || !filters.category.empty() || filters.year != 0) {
      search::SearchRequest request{q,
                                    kSearchPageSize,
                                    (page - 1) * kSearchPageSize,
                                    filters.sort,
                                    filters.category,
                                    filters.year};
      response = search::run_search(services_.index, services_.store, request, viewer_of(member),
                                    site->policy());
    }
    PageInfo info = paginate(response.total, kSearchPageSize, page);
    auto body = pages_.search(env(*site, member), q, response, info, filters);
    if (!refusal.empty()) return send(req, restinio::status_bad_request(), kHtml, std::move(body));
    return html(req, std::move(body));
  }

  // Serves an embedded asset with its validators; 304 when the client already holds it.
  Status asset(const Request& req, std::string_view path) const {
    const Asset* a = find_asset(path);
    if (a == nullptr) return send(req, restinio::status_not_found(), kText, "not found");
    ResponseOptions options;
    options.cache_control = kImmutable;
    options.etag = a->etag;
    return send_cacheable(req, a->content_type, std::string(a->data), options, static_time_);
  }

  Services services_;
  SettingsCache& settings_;
  access::Accounts& accounts_;
  HotLists& hot_;
  const Layout& layout_;
  Pages pages_;
  Sitemap sitemap_;
  mutable ViewCounter views_;
  mutable TtlCache<std::vector<search::RelatedDoc>> related_cache_{std::chrono::minutes(5), 2000};
  // The home page's 最新范文 by page, store sequence number and 范文 categories (see home).
  mutable TtlCache<std::vector<doc::Summary>> latest_cache_{std::chrono::minutes(5), 256};
  // Guest document pages: a 10 s time to live bounds how stale hot lists and 相关内容 look.
  mutable PageCache page_cache_{std::chrono::seconds(10), 64 << 20};
  const std::int64_t static_time_;  // Last-Modified of the static files
};

PublicSite::PublicSite(Services services, SettingsCache& settings, access::Accounts& accounts,
                       HotLists& hot, const Layout& layout)
    : impl_(std::make_unique<Impl>(services, settings, accounts, hot, layout)) {}

PublicSite::~PublicSite() = default;

void PublicSite::add_routes(Router& router) const { impl_->add_routes(router); }

}  // namespace wenku::web
