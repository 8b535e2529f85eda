// Internals of the admin (admin.h), shared by admin.cc (sessions, login, dashboard),
// admin_docs.cc (upload, document list and editing) and admin_site.cc (categories, 专题,
// settings, feedback, near-duplicates). Not for use elsewhere.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

#include "access/accounts.h"
#include "web/admin/admin_auth.h"
#include "web/http/forms.h"
#include "web/http/http.h"
#include "web/server.h"
#include "web/site/render.h"
#include "web/site/settings.h"

namespace wenku::web::admin {

// The form body types and reader (web/http/forms.h), as the admin's handlers name them.
using web::Form;
using web::read_form;
using web::UploadedFile;

// Response options of every admin answer: `Cache-Control: no-store`.
ResponseOptions no_store();

// True when the request asks for JSON (Accept names application/json), as admin.js does.
bool wants_json(const Request& req);

// An authenticated admin request: an admin account's session, or (before any admin account
// exists) the bootstrap token's cookie.
struct Session {
  std::string id;    // the token cookie's value, or the account session's token hash
  std::string csrf;  // the token every form of this session carries
  std::string name;  // the admin account's name; "" for the bootstrap token
  // Who reads through this session: the admin account's viewer, or for the bootstrap token
  // an admin without an account.
  access::Viewer viewer{access::Role::kAdmin, "", 0};
};

// "?ok=" codes of the redirects after a successful POST, shown as a fixed message (never the
// user's text).
std::string flash_message(std::string_view code, std::string_view count);

// True when `path` is a safe place to return to after a POST: an /admin path of this site.
bool is_admin_path(std::string_view path);

// `path` with the query `params` (values percent-encoded; empty values left out).
std::string link(std::string_view path,
                 const std::vector<std::pair<std::string, std::string>>& params);

// Sets context["pager"] for the admin_pager partial: links to the previous page (when `page`
// > 1) and the next one (when `has_next`) of the listing at `path` with `params`; nothing
// when there is neither.
void add_pager(mstch::map& context, std::string_view path,
               std::vector<std::pair<std::string, std::string>> params, std::size_t page,
               bool has_next);

// `path` (an /admin link made by link()) with "ok=`code`" added, for a redirect after a POST.
std::string with_flash(std::string_view path, std::string_view code, std::int64_t count = -1);

// The `n` calendar days ending today, oldest first, as "YYYY-MM-DD" (UTC or local time).
std::vector<std::string> last_days(int n, bool utc);

// The route handlers; one instance shared by every admin route (each holds a shared_ptr).
class Admin : public std::enable_shared_from_this<Admin> {
 public:
  Admin(Services services, const ServerOptions& options, SettingsCache& settings,
        const Renderer& renderer, access::Accounts& accounts);

  // Adds the routes; `this` must be owned by a std::shared_ptr.
  void add_routes(Router& router);

 private:
  using PageHandler = std::function<Status(const Request&, const Params&, const Session&)>;
  using FormHandler =
      std::function<Status(const Request&, const Params&, const Session&, const Form&)>;

  // Wraps a GET page: no valid session cookie → 303 to /admin/login; exceptions → 500.
  Handler page(PageHandler handler);
  // Wraps a POST: session as for `page`, then the body must be a readable form (400) whose
  // `csrf` field matches the session (403).
  Handler action(FormHandler handler);
  // Runs `body`, turning an exception into a logged 500 answer.
  Status guarded(const Request& req, const std::function<Status()>& body) const;

  // The session of `req`, or nullopt when it has no valid admin cookie.
  std::optional<Session> session_of(const Request& req) const;

  // Renders admin template `name` in the layout with the admin navigation (`section`
  // highlighted), the session's csrf token, noindex and no-store.
  Status render(const Request& req, restinio::http_status_line_t status, const std::string& name,
                std::string_view title, std::string_view section, const Session* session,
                mstch::map context) const;
  // A message page (or {"error": message} for a client asking for JSON).
  Status fail(const Request& req, int code, std::string_view message, const Session* session) const;
  // 303 to `location` with no-store.
  static Status see_other(const Request& req, std::string location);

  // admin.cc
  Status login_page(const Request& req, std::string_view error, int code);
  Status login(const Request& req);
  Status logout(const Request& req, const Session& session);
  Status dashboard(const Request& req, const Session& session);

  // admin_docs.cc
  Status upload_page(const Request& req, const Session& session);
  Status upload(const Request& req, const Session& session, const Form& form);
  Status documents(const Request& req, const Session& session);
  Status edit_page(const Request& req, const Session& session, std::string_view id,
                   const Form* input, std::string_view error);
  Status edit(const Request& req, const Session& session, std::string_view id, const Form& form);
  Status set_deleted(const Request& req, const Session& session, std::string_view id, bool deleted,
                     const Form& form);

  // admin_site.cc
  Status categories_page(const Request& req, const Session& session, std::string_view error);
  Status create_category(const Request& req, const Session& session, const Form& form);
  Status rename_category(const Request& req, const Session& session, const Form& form);
  Status order_categories(const Request& req, const Session& session, const Form& form);
  // Sets the kind (范文 "model" / 资料 "reference") of each category of the form's `name`
  // and `kind` pairs; refuses unknown categories and kinds, writing nothing then.
  Status set_category_kinds(const Request& req, const Session& session, const Form& form);
  Status topics_page(const Request& req, const Session& session, std::string_view slug,
                     const Form* input, std::string_view error);
  Status save_topic(const Request& req, const Session& session, const Form& form);
  Status delete_topic(const Request& req, const Session& session, std::string_view slug);
  Status settings_page(const Request& req, const Session& session, const Form* input,
                       std::string_view error);
  Status save_settings(const Request& req, const Session& session, const Form& form);
  Status save_wechat_image(const Request& req, const Session& session, const Form& form);
  Status feedback_page(const Request& req, const Session& session);
  Status set_feedback_handled(const Request& req, const Session& session, std::string_view id,
                              const Form& form);
  Status duplicates_page(const Request& req, const Session& session);
  Status unlink_duplicates(const Request& req, const Session& session, const Form& form);
  // 会员: the accounts, each with its role, VIP end date and whether it is disabled.
  Status users_page(const Request& req, const Session& session);
  // Saves `role` (member, vip, admin), `vip_until` (YYYY-MM-DD or empty) and `disabled` ("1"
  // or absent) of account `id`; an admin cannot take away their own admin role or account.
  Status save_user(const Request& req, const Session& session, std::string_view id,
                   const Form& form);

  Services services_;
  SettingsCache& settings_;
  const Renderer& renderer_;
  access::Accounts& accounts_;
  AdminAuth auth_;
};

}  // namespace wenku::web::admin
