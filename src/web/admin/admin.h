// The admin (/admin): uploads, document editing, soft delete and restore, categories, 专题
// collections, site settings, the 联系客服 inbox, near-duplicate review and a dashboard with
// SVG charts. Before accounts exist it is guarded by a bootstrap token (ServerOptions::
// admin_token, see admin_auth.h): POST /admin/login with the token sets the session cookie
// `wenku_admin` (HttpOnly, SameSite=Strict, Path=/admin, 12 h), which every other admin
// route requires (else 303 to /admin/login); every admin POST also requires the form field
// `csrf` derived from that cookie (else 403). Admin pages are zh-CN, rendered inside the site
// layout with noindex and `Cache-Control: no-store`; the admin sees documents as
// access::Role::kAdmin.
#pragma once

#include <cstddef>
#include <string>

#include "access/accounts.h"
#include "web/http/http.h"
#include "web/http/request_guard.h"
#include "web/server.h"
#include "web/site/render.h"
#include "web/site/settings.h"

namespace wenku::web {

// Largest upload the admin accepts (several files in one request; web::body_limit).
inline constexpr std::size_t kMaxRequestBytes = kMaxUploadBytes;

// Largest 微信订阅号 image accepted.
inline constexpr std::size_t kMaxSiteImageBytes = 1024 * 1024;

// Shortest admin token accepted from the command line or the environment.
inline constexpr std::size_t kMinAdminTokenChars = 16;

// A new bootstrap token: 128 random bits (libsodium) as 32 hex digits.
std::string new_admin_token();

// Adds the admin routes to `router` when `options.admin_token` is not empty (else none:
// /admin is then an ordinary 404):
//   GET  /admin                         dashboard: counts and 30-day charts
//   GET  /admin/login, POST /admin/login, POST /admin/logout
//   GET  /admin/upload, POST /admin/upload      multipart field `files` (several), optional
//        `category`; io::parse_upload per file then services.ingest; answers the report page,
//        or JSON {"files":[{"name","inserted","updated","errors":[…],"near_duplicates":
//        [{"id","title","similar_to","similar_title","distance"}]}]} when the request
//        accepts application/json (static/admin.js)
//   GET  /admin/docs?q=&deleted=1&page=          list, title search, 回收站
//   GET  /admin/docs/{id}/edit, POST /admin/docs/{id}/edit (title, category, date, content)
//   POST /admin/docs/{id}/delete, POST /admin/docs/{id}/restore   (optional `return` path)
//   GET  /admin/categories; POST /admin/categories/{create,rename,order}
//   GET  /admin/topics, GET /admin/topics/{slug}; POST /admin/topics;
//        POST /admin/topics/{slug}/delete
//   GET  /admin/settings; POST /admin/settings; POST /admin/settings/wechat (multipart `image`)
//   GET  /admin/feedback?all=1&page=; POST /admin/feedback/{id}/handled (handled=1|0)
//   GET  /admin/duplicates?page=; POST /admin/duplicates/unlink (a, b)
// Bad input re-renders the form with the reason (400) and changes nothing. `services`,
// `settings` and `renderer` must outlive the router.
void add_admin_routes(Router& router, Services services, const ServerOptions& options,
                      SettingsCache& settings, const Renderer& renderer,
                      access::Accounts& accounts);

}  // namespace wenku::web
