// The admin's plumbing (forms, sessions, rendering, routes), login and dashboard.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include "web/admin/admin.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>
#include <memory>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "text/utf8.h"
#include "web/admin/admin_impl.h"
#include "web/admin/svg_chart.h"
#include "web/http/url.h"
#include "web/site/assets.h"
#include "web/site/members.h"

namespace wenku::web {

namespace admin {

namespace {

constexpr std::string_view kCookie = "wenku_admin";
constexpr int kChartDays = 30;

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// The navigation of the admin pages, `section` marked current.
mstch::array navigation(std::string_view section) {
  struct Item {
    std::string_view section;
    std::string_view href;
    std::string_view label;
  };
  static constexpr Item kItems[] = {
      {"dashboard", "/admin", "概览"},         {"upload", "/admin/upload", "上传"},
      {"docs", "/admin/docs", "文档"},         {"categories", "/admin/categories", "分类"},
      {"topics", "/admin/topics", "专题"},     {"settings", "/admin/settings", "设置"},
      {"feedback", "/admin/feedback", "留言"}, {"duplicates", "/admin/duplicates", "近似重复"},
      {"users", "/admin/users", "会员"}};
  mstch::array items;
  for (const auto& item : kItems) {
    items.push_back(mstch::map{{"href", std::string(item.href)},
                               {"label", std::string(item.label)},
                               {"current", item.section == section}});
  }
  return items;
}

// The counts of `counts` on each of `days` (0 for days without a row), labelled MM-DD.
std::vector<ChartPoint> daily_points(const std::vector<std::string>& days,
                                     const std::vector<store::DayCount>& counts) {
  std::map<std::string_view, std::int64_t> by_day;
  for (const auto& c : counts) by_day[c.day] = c.count;
  std::vector<ChartPoint> points;
  points.reserve(days.size());
  for (const auto& day : days) {
    const auto it = by_day.find(day);
    points.push_back({day.substr(5), static_cast<double>(it == by_day.end() ? 0 : it->second)});
  }
  return points;
}

}  // namespace

ResponseOptions no_store() {
  ResponseOptions o;
  o.cache_control = "no-store";
  return o;
}

bool wants_json(const Request& req) {
  const auto accept = req->header().opt_value_of(restinio::http_field::accept);
  return accept && accept->find("application/json") != std::string_view::npos;
}

std::string flash_message(std::string_view code, std::string_view count) {
  static const std::map<std::string_view, std::string_view> kMessages = {
      {"saved", "已保存。"},
      {"deleted", "已删除（可在回收站恢复）。"},
      {"restored", "已恢复。"},
      {"created", "已创建分类。"},
      {"renamed", "已改名，移动了 {} 篇文档。"},
      {"merged", "已合并，移动了 {} 篇文档。"},
      {"ordered", "已保存分类顺序。"},
      {"kinds", "已保存分类类型，{} 个分类有改动。"},
      {"topic_saved", "专题已保存。"},
      {"topic_deleted", "专题已删除。"},
      {"image_saved", "图片已上传。"},
      {"handled", "已标记为已处理。"},
      {"unhandled", "已标记为未处理。"},
      {"unlinked", "已标记为不是重复。"},
      {"user_saved", "账号已更新。"},
      {"logged_out", "已退出。"}};
  const auto it = kMessages.find(code);
  if (it == kMessages.end()) return {};
  const bool number =
      !count.empty() && count.size() <= 12 &&
      std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; });
  return fmt::format(fmt::runtime(it->second), number ? count : "若干");
}

bool is_admin_path(std::string_view path) {
  return (path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?")) &&
         path.find_first_of("\\\r\n") == std::string_view::npos;
}

std::string link(std::string_view path,
                 const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(path);
  char separator = '?';
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += separator;
    out += name + "=" + encode_query_value(value);
    separator = '&';
  }
  return out;
}

void add_pager(mstch::map& context, std::string_view path,
               std::vector<std::pair<std::string, std::string>> params, std::size_t page,
               bool has_next) {
  if (page <= 1 && !has_next) return;
  mstch::map links;
  params.emplace_back("page", "");
  if (page > 1) {
    params.back().second = page > 2 ? std::to_string(page - 1) : "";
    links["prev"] = link(path, params);
  }
  if (has_next) {
    params.back().second = std::to_string(page + 1);
    links["next"] = link(path, params);
  }
  context["pager"] = std::move(links);
}

std::string with_flash(std::string_view path, std::string_view code, std::int64_t count) {
  std::string out(path);
  out += path.find('?') == std::string_view::npos ? "?ok=" : "&ok=";
  out += code;
  if (count >= 0) out += "&n=" + std::to_string(count);
  return out;
}

std::vector<std::string> last_days(int n, bool utc) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  if (utc) {
    gmtime_r(&now, &tm);
  } else {
    localtime_r(&now, &tm);
  }
  using namespace std::chrono;
  const sys_days today{year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                       day{static_cast<unsigned>(tm.tm_mday)}};
  std::vector<std::string> out;
  for (int i = n - 1; i >= 0; --i) {
    const year_month_day ymd{today - days{i}};
    out.push_back(fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                              static_cast<unsigned>(ymd.month()),
                              static_cast<unsigned>(ymd.day())));
  }
  return out;
}

Admin::Admin(Services services, const ServerOptions& options, SettingsCache& settings,
             const Renderer& renderer, access::Accounts& accounts)
    : services_(std::move(services)),
      settings_(settings),
      renderer_(renderer),
      accounts_(accounts),
      auth_(options.admin_token) {}

Status Admin::guarded(const Request& req, const std::function<Status()>& body) const {
  try {
    return body();
  } catch (const std::exception& e) {
    const Failure failure = failure_of(req, e);
    return fail(req, failure.status, failure.message, nullptr);
  }
}

std::optional<Session> Admin::session_of(const Request& req) const {
  if (auto member = member_of(req, accounts_);
      member && member->viewer.role == access::Role::kAdmin) {
    return Session{member->session.token_hash, member_csrf(*member, accounts_), member->user.name,
                   member->viewer};
  }
  // The bootstrap token opens /admin only until the first admin account exists.
  auto id = cookie(req, kCookie);
  if (!id || !auth_.session_valid(*id, now_seconds()) || services_.store.admin_count() > 0) {
    return std::nullopt;
  }
  Session session{*id, auth_.csrf_for(*id), ""};
  return session;
}

Handler Admin::page(PageHandler handler) {
  return
      [self = shared_from_this(), handler = std::move(handler)](const Request& req, Params params) {
        return self->guarded(req, [&]() -> Status {
          const auto session = self->session_of(req);
          if (!session) return see_other(req, "/admin/login");
          return handler(req, params, *session);
        });
      };
}

Handler Admin::action(FormHandler handler) {
  return
      [self = shared_from_this(), handler = std::move(handler)](const Request& req, Params params) {
        return self->guarded(req, [&]() -> Status {
          const auto session = self->session_of(req);
          if (!session) return see_other(req, "/admin/login");
          const auto form = read_form(req);
          if (!form) return self->fail(req, 400, "表单数据无法读取。", &*session);
          if (!self->auth_.csrf_valid(session->id, form->value("csrf"))) {
            return self->fail(req, 403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。",
                              &*session);
          }
          return handler(req, params, *session, *form);
        });
      };
}

Status Admin::render(const Request& req, restinio::http_status_line_t status,
                     const std::string& name, std::string_view title, std::string_view section,
                     const Session* session, mstch::map context) const {
  const auto site = settings_.get();
  Head head;
  head.title = fmt::format("{} · 管理 · {}", title, site->site_name);
  head.noindex = true;
  context["admin_title"] = std::string(title);
  context["admin_js"] = asset_url("admin.js");
  if (session) {
    context["signed_in"] = true;
    context["csrf"] = session->csrf;
    context["nav"] = navigation(section);
  }
  if (const auto query = query_of(req)) {
    const auto flash = flash_message(param(*query, "ok"), param(*query, "n"));
    if (!flash.empty()) context["flash"] = flash;
  }
  return send(req, std::move(status), kHtml,
              renderer_.render(name, head, *site, std::move(context)), no_store());
}

Status Admin::fail(const Request& req, int code, std::string_view message,
                   const Session* session) const {
  if (wants_json(req)) {
    return send(req, status_line(code), kJson,
                nlohmann::json{{"error", std::string(message)}}.dump(), no_store());
  }
  const std::string heading = failure_of_status(code).heading;
  return render(req, status_line(code), "admin_message", heading, "", session,
                mstch::map{{"heading", heading}, {"message", std::string(message)}});
}

Status Admin::see_other(const Request& req, std::string location) {
  return redirect(req, std::move(location), no_store());
}

Status Admin::login_page(const Request& req, std::string_view error, int code) {
  mstch::map context;
  if (!error.empty()) context["error"] = std::string(error);
  return render(req, status_line(code), "admin_login", "登录", "", nullptr, std::move(context));
}

Status Admin::login(const Request& req) {
  if (services_.store.admin_count() > 0) {
    return login_page(req, "本站已有管理员账号，请用管理员账号登录（/login）。", 403);
  }
  const std::string client = client_key(req);
  const std::int64_t now = now_seconds();
  constexpr std::string_view kAccount = "admin-token";
  if (const auto wait = accounts_.login_wait(kAccount, client, now); wait > 0) {
    return login_page(req, access::Accounts::throttle_message(wait), 429);
  }
  const auto form = form_of(req->body());
  if (!form || !auth_.token_matches(param(*form, "token"))) {
    accounts_.login_failed(kAccount, client, now);
    spdlog::warn("admin: failed login from client {}", client);
    return login_page(req, "令牌不正确。", 403);
  }
  accounts_.login_succeeded(kAccount);
  const bool https = settings_.get()->base_url.starts_with("https://");
  ResponseOptions options = no_store();
  options.set_cookies.push_back(
      fmt::format("{}={}; Path=/admin; Max-Age={}; HttpOnly; SameSite=Strict{}", kCookie,
                  auth_.new_session(now), kAdminSessionSeconds, https ? "; Secure" : ""));
  return redirect(req, "/admin", options);
}

Status Admin::logout(const Request& req, const Session& session) {
  if (!session.name.empty()) {  // an admin account: end its session, as /logout does
    if (auto token = cookie(req, kSessionCookie)) accounts_.logout(*token);
  }
  ResponseOptions options = no_store();
  options.set_cookies.push_back(
      fmt::format("{}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict", kCookie));
  return redirect(req, "/admin/login?ok=logged_out", options);
}

Status Admin::dashboard(const Request& req, const Session& session) {
  auto& store = services_.store;
  // The store counts only live documents; documents_per_day counts every row ever created
  // (soft-deleted ones included), so their total minus the live count is the 回收站.
  std::int64_t all = 0;
  for (const auto& day : store.documents_per_day("")) all += day.count;
  const std::int64_t live = store.count();

  const auto utc_days = last_days(kChartDays, true);
  const auto local_days = last_days(kChartDays, false);
  ChartOptions docs_chart{"近 30 天每日新增文档", "篇"};
  ChartOptions views_chart{"近 30 天每日阅读量", "次"};
  mstch::map context{
      {"documents", std::to_string(live)},
      {"deleted", std::to_string(std::max<std::int64_t>(0, all - live))},
      {"unhandled_feedback", std::to_string(store.feedback_count(true))},
      {"near_duplicates", std::to_string(store.similar_pair_count())},
      {"docs_chart",
       svg_chart(ChartKind::kBar, daily_points(utc_days, store.documents_per_day(utc_days.front())),
                 docs_chart)},
      {"views_chart",
       svg_chart(ChartKind::kLine,
                 daily_points(local_days, store.views_per_day(local_days.front())), views_chart)}};
  return render(req, restinio::status_ok(), "admin_dashboard", "概览", "dashboard", &session,
                std::move(context));
}

void Admin::add_routes(Router& router) {
  router.http_get("/admin/login", [self = shared_from_this()](const Request& req, Params) {
    return self->guarded(req, [&]() -> Status {
      if (self->session_of(req)) return see_other(req, "/admin");
      return self->login_page(req, "", 200);
    });
  });
  router.http_post("/admin/login", [self = shared_from_this()](const Request& req, Params) {
    return self->guarded(req, [&] { return self->login(req); });
  });
  router.http_post("/admin/logout", action([this](const Request& r, const Params&, const Session& s,
                                                  const Form&) { return logout(r, s); }));
  router.http_get("/admin", page([this](const Request& r, const Params&, const Session& s) {
                    return dashboard(r, s);
                  }));

  // Documents.
  router.http_get("/admin/upload", page([this](const Request& r, const Params&, const Session& s) {
                    return upload_page(r, s);
                  }));
  router.http_post("/admin/upload", action([this](const Request& r, const Params&, const Session& s,
                                                  const Form& f) { return upload(r, s, f); }));
  router.http_get("/admin/docs", page([this](const Request& r, const Params&, const Session& s) {
                    return documents(r, s);
                  }));
  router.http_get("/admin/docs/:id/edit",
                  page([this](const Request& r, const Params& p, const Session& s) {
                    return edit_page(r, s, p["id"], nullptr, "");
                  }));
  router.http_post("/admin/docs/:id/edit",
                   action([this](const Request& r, const Params& p, const Session& s,
                                 const Form& f) { return edit(r, s, p["id"], f); }));
  router.http_post("/admin/docs/:id/delete",
                   action([this](const Request& r, const Params& p, const Session& s,
                                 const Form& f) { return set_deleted(r, s, p["id"], true, f); }));
  router.http_post("/admin/docs/:id/restore",
                   action([this](const Request& r, const Params& p, const Session& s,
                                 const Form& f) { return set_deleted(r, s, p["id"], false, f); }));

  // Categories and 专题.
  router.http_get("/admin/categories",
                  page([this](const Request& r, const Params&, const Session& s) {
                    return categories_page(r, s, "");
                  }));
  router.http_post("/admin/categories/create",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return create_category(r, s, f);
                   }));
  router.http_post("/admin/categories/rename",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return rename_category(r, s, f);
                   }));
  router.http_post("/admin/categories/order",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return order_categories(r, s, f);
                   }));
  router.http_post("/admin/categories/kinds",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return set_category_kinds(r, s, f);
                   }));
  router.http_get("/admin/topics", page([this](const Request& r, const Params&, const Session& s) {
                    return topics_page(r, s, "", nullptr, "");
                  }));
  router.http_get("/admin/topics/:slug",
                  page([this](const Request& r, const Params& p, const Session& s) {
                    return topics_page(r, s, p["slug"], nullptr, "");
                  }));
  router.http_post("/admin/topics", action([this](const Request& r, const Params&, const Session& s,
                                                  const Form& f) { return save_topic(r, s, f); }));
  router.http_post("/admin/topics/:slug/delete",
                   action([this](const Request& r, const Params& p, const Session& s, const Form&) {
                     return delete_topic(r, s, p["slug"]);
                   }));

  // Site settings, feedback, near-duplicates.
  router.http_get("/admin/settings",
                  page([this](const Request& r, const Params&, const Session& s) {
                    return settings_page(r, s, nullptr, "");
                  }));
  router.http_post("/admin/settings",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return save_settings(r, s, f);
                   }));
  router.http_post("/admin/settings/wechat",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return save_wechat_image(r, s, f);
                   }));
  router.http_get("/admin/feedback",
                  page([this](const Request& r, const Params&, const Session& s) {
                    return feedback_page(r, s);
                  }));
  router.http_post("/admin/feedback/:id/handled", action([this](const Request& r, const Params& p,
                                                                const Session& s, const Form& f) {
                     return set_feedback_handled(r, s, p["id"], f);
                   }));
  router.http_get("/admin/duplicates",
                  page([this](const Request& r, const Params&, const Session& s) {
                    return duplicates_page(r, s);
                  }));
  router.http_get("/admin/users", page([this](const Request& r, const Params&, const Session& s) {
                    return users_page(r, s);
                  }));
  router.http_post("/admin/users/:id",
                   action([this](const Request& r, const Params& p, const Session& s,
                                 const Form& f) { return save_user(r, s, p["id"], f); }));
  router.http_post("/admin/duplicates/unlink",
                   action([this](const Request& r, const Params&, const Session& s, const Form& f) {
                     return unlink_duplicates(r, s, f);
                   }));
}

}  // namespace admin

std::string new_admin_token() { return access::random_hex(16); }

void add_admin_routes(Router& router, Services services, const ServerOptions& options,
                      SettingsCache& settings, const Renderer& renderer,
                      access::Accounts& accounts) {
  if (options.admin_token.empty()) return;
  // Every handler holds a reference to `admin`, so it lives as long as the router.
  auto admin =
      std::make_shared<admin::Admin>(std::move(services), options, settings, renderer, accounts);
  admin->add_routes(router);
}

}  // namespace wenku::web
