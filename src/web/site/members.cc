#include "web/site/members.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "io/validate.h"
#include "store/store.h"
#include "web/http/forms.h"
#include "web/site/assets.h"
#include "web/site/dates.h"

namespace wenku::web {

namespace {

constexpr std::string_view kFormCookie = "wk_form";
constexpr std::size_t kFormCookieBytes = 16;
constexpr std::size_t kMaxNextBytes = 500;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool https_site(const SiteSettings& site) { return site.base_url.starts_with("https://"); }

std::string cookie_value(std::string_view name, std::string_view value, std::int64_t max_age,
                         const SiteSettings& site) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", name, value, max_age,
                     https_site(site) ? "; Secure" : "");
}

// `next` when it is a path of this site ("/doc/x"), else `fallback`: never another host
// ("//evil", "/\\evil", "https://…") or a control character.
std::string local_path(std::string_view next, std::string_view fallback) {
  const bool local = !next.empty() && next.size() <= kMaxNextBytes && next[0] == '/' &&
                     (next.size() == 1 || (next[1] != '/' && next[1] != '\\')) &&
                     std::none_of(next.begin(), next.end(), [](char c) {
                       return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                     });
  return std::string(local ? next : fallback);
}

// The ids of a /me/favorites/merge request's `ids` ("a,b,c"), first occurrences in order, or
// an error message: each must be a document id (io::detail::is_valid_id) of at most
// kMaxMergeIdBytes, and there must be 1 to kMaxMergeIds of them.
struct MergeIds {
  std::vector<std::string> ids;
  std::string error;  // "": ids is good
};

MergeIds merge_ids(std::string_view list) {
  MergeIds out;
  if (list.empty()) {
    out.error = "没有要合并的收藏。";
    return out;
  }
  std::unordered_set<std::string_view> seen;
  std::size_t count = 0;
  for (std::size_t start = 0;;) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view id = list.substr(start, comma - start);
    if (++count > kMaxMergeIds) {
      out.error = fmt::format("一次最多合并 {} 篇收藏。", kMaxMergeIds);
      return out;
    }
    if (id.size() > kMaxMergeIdBytes || !io::detail::is_valid_id(id)) {
      out.error = "收藏列表中有无效的文档编号。";
      return out;
    }
    if (seen.insert(id).second) out.ids.emplace_back(id);
    if (comma == list.size()) break;
    start = comma + 1;
  }
  return out;
}

enum class AccountForm { kLogin, kRegister };

class MemberPages {
 public:
  explicit MemberPages(MemberContext ctx) : ctx_(ctx) {}

  // GET /login and /register: the form; a member is sent to /me.
  Status show_form(const Request& req, AccountForm which) const {
    if (member_of(req, ctx_.accounts)) return redirect(req, "/me");
    const auto query = query_of(req);
    FormState state;
    state.next = local_path(query ? param(*query, "next") : "", "");
    return account_form(req, restinio::status_ok(), which, state);
  }

  Status login(const Request& req) const {
    auto fields = read_form(req);
    if (!fields.ok) return refuse_form(req, AccountForm::kLogin, fields);
    FormState state{fields.field("username"), local_path(fields.field("next"), ""), ""};
    const auto outcome = ctx_.accounts.login(state.username, fields.field("password"),
                                             client_key(req), now_seconds(), user_agent(req));
    switch (outcome.result) {
      case access::LoginResult::kOk:
        return signed_in(req, *outcome.session, state.next);
      case access::LoginResult::kThrottled: {
        state.error = outcome.message;
        ResponseOptions extra;
        extra.retry_after = std::to_string(outcome.retry_after);
        return account_form(req, restinio::status_too_many_requests(), AccountForm::kLogin, state,
                            extra);
      }
      case access::LoginResult::kDisabled:
        state.error = outcome.message;
        return account_form(req, restinio::status_forbidden(), AccountForm::kLogin, state);
      case access::LoginResult::kWrong:
        break;
    }
    state.error = outcome.message;
    return account_form(req, restinio::status_unauthorized(), AccountForm::kLogin, state);
  }

  Status register_account(const Request& req) const {
    auto fields = read_form(req);
    if (!fields.ok) return refuse_form(req, AccountForm::kRegister, fields);
    FormState state{fields.field("username"), local_path(fields.field("next"), ""), ""};
    const auto site = ctx_.settings.get();
    if (site->registration == "closed") {
      state.error = "本站暂未开放注册，请联系网站管理员开通账号。";
      return account_form(req, restinio::status_forbidden(), AccountForm::kRegister, state);
    }
    if (site->registration == "invite" &&
        !access::same(fields.field("invite_code"), site->invite_code)) {
      state.error = "邀请码不正确。";
      return account_form(req, restinio::status_forbidden(), AccountForm::kRegister, state);
    }
    const std::string password = fields.field("password");
    if (fields.has("password_confirm") && fields.field("password_confirm") != password) {
      state.error = "两次输入的密码不一致。";
      return account_form(req, restinio::status_bad_request(), AccountForm::kRegister, state);
    }
    try {
      auto session =
          ctx_.accounts.register_member(state.username, password, now_seconds(), user_agent(req));
      spdlog::info("account registered: {}", session.member.user.name);
      return signed_in(req, session, state.next);
    } catch (const access::AccountError& e) {
      state.error = e.what();
      return account_form(req, restinio::status_bad_request(), AccountForm::kRegister, state);
    }
  }

  // POST /logout (csrf_token of the session).
  Status logout(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return redirect(req, "/", clear_session(req));
    auto fields = read_form(req, &*member);
    if (!fields.ok) return notice(req, fields.status, "无法退出登录", fields.error);
    ctx_.accounts.logout(*cookie(req, kSessionCookie));
    return redirect(req, "/", clear_session(req));
  }

  // GET /me: the account, its sessions and the links of a member's pages.
  Status me(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    const auto query = query_of(req);
    mstch::array sessions;
    for (const auto& s : ctx_.store.sessions_of(member->user.id)) {
      sessions.push_back(
          mstch::map{{"user_agent", s.user_agent.empty() ? std::string("未知设备") : s.user_agent},
                     {"last_seen", china_minute(s.last_seen_at)},
                     {"created", china_minute(s.created_at)},
                     {"current", s.token_hash == member->session.token_hash}});
    }
    const std::string flash = query && param(*query, "done") == "password" ? "密码已修改。"
                              : query && param(*query, "done") == "others" ? "已退出其他设备。"
                                                                           : "";
    mstch::map context{
        {"name", member->user.name},
        {"role", std::string(access::role_label(member->viewer.role))},
        {"vip_until",
         member->viewer.role == access::Role::kVip ? member->user.vip_until : std::string()},
        {"created_at",
         china_minute(
             parse_utc_timestamp(member->user.created_at).value_or(member->session.created_at))},
        {"sessions", std::move(sessions)},
        {"favorites", std::to_string(ctx_.store.favorite_count(member->user.id))},
        {"history", std::to_string(ctx_.store.history_count(member->user.id))},
        {"flash", flash}};
    return page(req, restinio::status_ok(), "me", "我的账号", *member, std::move(context));
  }

  // POST /me/sessions/end-others: 退出其他设备.
  Status end_other_sessions(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    auto fields = read_form(req, &*member);
    if (!fields.ok) return notice(req, fields.status, "操作未完成", fields.error);
    ctx_.accounts.end_other_sessions(*member);
    return redirect(req, "/me?done=others");
  }

  Status password_form(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    return page(req, restinio::status_ok(), "me_password", "修改密码", *member,
                {{"min_password", static_cast<int>(access::kMinPasswordChars)}});
  }

  // POST /me/password: `password` (the current one) and `new_password`.
  Status change_password(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    auto fields = read_form(req, &*member);
    if (!fields.ok) {
      return page(
          req, fields.status, "me_password", "修改密码", *member,
          {{"error", fields.error}, {"min_password", static_cast<int>(access::kMinPasswordChars)}});
    }
    const std::string fresh = fields.field("new_password");
    try {
      if (fields.has("new_password_confirm") && fields.field("new_password_confirm") != fresh) {
        throw access::AccountError("两次输入的新密码不一致。");
      }
      ctx_.accounts.change_password(*member, fields.field("password"), fresh);
    } catch (const access::AccountError& e) {
      return page(req, restinio::status_bad_request(), "me_password", "修改密码", *member,
                  {{"error", std::string(e.what())},
                   {"min_password", static_cast<int>(access::kMinPasswordChars)}});
    }
    return redirect(req, "/me?done=password");
  }

  enum class MemberList { kFavorites, kHistory };

  // GET /me/favorites and /me/history (?page=N).
  Status list(const Request& req, MemberList which) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    const auto query = query_of(req);
    const std::size_t page_number = query ? page_param(*query) : 0;
    if (page_number == 0)
      return notice(req, restinio::status_bad_request(), "请求无效", "页码无效。");
    const bool favorites = which == MemberList::kFavorites;
    const auto id = member->user.id;
    const std::int64_t total =
        favorites ? ctx_.store.favorite_count(id) : ctx_.store.history_count(id);
    const std::size_t pages = std::max<std::size_t>(
        1, (static_cast<std::size_t>(total) + kMemberListPageSize - 1) / kMemberListPageSize);
    if (page_number > pages)
      return notice(req, restinio::status_not_found(), "页面不存在", "没有这一页。");
    const std::size_t offset = (page_number - 1) * kMemberListPageSize;
    const auto docs = favorites ? ctx_.store.favorites(id, kMemberListPageSize, offset)
                                : ctx_.store.history(id, kMemberListPageSize, offset);
    const auto site = ctx_.settings.get();
    mstch::array items;
    for (const auto& d : docs) {
      items.push_back(
          mstch::map{{"id", d.doc.id},
                     {"title", listed_title(d.doc.title, d.doc.date, site->title_date_prefix)},
                     {"category", d.doc.category},
                     {"date", d.doc.date},
                     {"at", china_minute(d.at)}});
    }
    const std::string path = favorites ? "/me/favorites" : "/me/history";
    mstch::map context{{"items", std::move(items)},
                       {"favorites", favorites},
                       {"empty", docs.empty()},
                       {"total", std::to_string(total)},
                       {"path", path},
                       {"page", std::to_string(page_number)},
                       {"pages", std::to_string(pages)}};
    if (page_number > 1) context["prev"] = fmt::format("{}?page={}", path, page_number - 1);
    if (page_number < pages) context["next"] = fmt::format("{}?page={}", path, page_number + 1);
    return page(req, restinio::status_ok(), "me_docs", favorites ? "我的收藏" : "阅读历史", *member,
                std::move(context));
  }

  // POST /me/favorites: `doc_id`, `action` ("add" or "remove"), `back` (a local path).
  Status change_favorite(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    auto fields = read_form(req, &*member);
    if (!fields.ok) return notice(req, fields.status, "收藏未完成", fields.error);
    const std::string doc_id = fields.field("doc_id");
    const std::string action = fields.field("action");
    bool done = false;
    if (action == "add") {
      auto stamp = ctx_.store.stamp(doc_id);
      done = stamp && !stamp->deleted &&
             ctx_.store.add_favorite(member->user.id, doc_id, now_seconds());
    } else if (action == "remove") {
      done = ctx_.store.remove_favorite(member->user.id, doc_id);
    } else {
      return notice(req, restinio::status_bad_request(), "收藏未完成", "无法识别的操作。");
    }
    if (!done && action == "add") {
      return notice(req, restinio::status_not_found(), "收藏未完成", "这篇文档不存在或已被删除。");
    }
    return redirect(req, local_path(fields.field("back"), "/me/favorites"));
  }

  // POST /me/favorites/merge: `csrf_token` and `ids` (merge_ids), sent by site.js from a page of
  // a member who, as a guest, kept 收藏 in the browser. Adds the ids of documents that exist, are
  // not deleted and are not yet favourites (those keep their date); unknown or deleted ones are
  // skipped. Answers JSON {"added":N,"already":N,"skipped":N}; a guest gets 401, a refused
  // request 4xx {"error":"…"}, and either changes nothing.
  Status merge_favorites(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return json_reply(req, restinio::status_unauthorized(), {{"error", "请先登录。"}});
    auto fields = read_form(req, &*member, kMaxMergeFormBytes);
    if (!fields.ok) return json_reply(req, fields.status, {{"error", fields.error}});
    const auto parsed = merge_ids(fields.field("ids"));
    if (!parsed.error.empty()) {
      return json_reply(req, restinio::status_bad_request(), {{"error", parsed.error}});
    }
    const auto user = member->user.id;
    int added = 0;
    int already = 0;
    int skipped = 0;
    // The list is newest first: each id a second older than the one before keeps its order in
    // 我的收藏 (newest first too).
    std::int64_t at = now_seconds();
    for (const auto& id : parsed.ids) {
      const auto stamp = ctx_.store.stamp(id);
      if (!stamp || stamp->deleted) {
        ++skipped;
      } else if (ctx_.store.is_favorite(user, id)) {
        ++already;
      } else if (ctx_.store.add_favorite(user, id, at--)) {
        ++added;
      } else {
        ++skipped;  // deleted from the store meanwhile
      }
    }
    return json_reply(req, restinio::status_ok(),
                      {{"added", added}, {"already", already}, {"skipped", skipped}});
  }

  // POST /me/history/clear.
  Status clear_history(const Request& req) const {
    auto member = member_of(req, ctx_.accounts);
    if (!member) return to_login(req);
    auto fields = read_form(req, &*member);
    if (!fields.ok) return notice(req, fields.status, "操作未完成", fields.error);
    ctx_.store.clear_history(member->user.id);
    return redirect(req, "/me/history");
  }

  // Runs `handler`; what it throws is answered with the error page (errors.h).
  template <typename F>
  Status guarded(const Request& req, F handler) const {
    return answer_or_fail(req, handler, [this](const Request& r, const Failure& failure) {
      return ctx_.layout.error(r, failure, std::nullopt);
    });
  }

 private:
  // What an account form shows besides its fields' labels.
  struct FormState {
    std::string username;
    std::string next;
    std::string error;
  };

  // A form post read and checked: same site, form type, size, encoding, CSRF token (bound to
  // `member`'s session, or for a guest to the wk_form cookie).
  struct FormRead {
    bool ok = false;
    restinio::http_status_line_t status = restinio::status_bad_request();
    std::string error;
    std::optional<Query> values;  // set once the body parsed

    // The trimmed value of field `name`; "" when absent or unparsed.
    std::string field(std::string_view name) const { return values ? param(*values, name) : ""; }
    // Whether field `name` was sent at all.
    bool has(std::string_view name) const { return values && values->has(name); }
  };

  FormRead read_form(const Request& req, const access::Member* member = nullptr,
                     std::size_t max_bytes = kMaxAccountFormBytes) const {
    FormRead out;
    const auto site = ctx_.settings.get();
    if (!same_site(req, site->base_url)) {
      out.status = restinio::status_forbidden();
      out.error = "请在本站页面上提交表单。";
      return out;
    }
    if (!is_form_type(req)) {
      out.status = restinio::status_unsupported_media_type();
      out.error = "请在本站页面上提交表单。";
      return out;
    }
    if (req->body().size() > max_bytes) {
      out.status = restinio::status_payload_too_large();
      out.error = "提交的内容过长。";
      return out;
    }
    out.values = form_of(req->body());
    if (!out.values) {
      out.error = "表单内容无法识别，请重新填写。";
      return out;
    }
    const std::string binding =
        member ? member->session.token_hash : cookie(req, kFormCookie).value_or("");
    if (!ctx_.accounts.csrf_valid(binding, out.field("csrf_token"))) {
      out.status = restinio::status_forbidden();
      out.error = "页面已过期，请刷新页面后重新提交。";
      return out;
    }
    out.ok = true;
    return out;
  }

  // The form again after `fields` failed read_form, with what the visitor typed when readable.
  Status refuse_form(const Request& req, AccountForm which, const FormRead& fields) const {
    FormState state{fields.field("username"), local_path(fields.field("next"), ""), fields.error};
    return account_form(req, fields.status, which, state);
  }

  Status account_form(const Request& req, restinio::http_status_line_t status, AccountForm which,
                      const FormState& state, ResponseOptions options = {}) const {
    const auto site = ctx_.settings.get();
    const bool login = which == AccountForm::kLogin;
    std::string binding = cookie(req, kFormCookie).value_or("");
    if (binding.size() != 2 * kFormCookieBytes) {
      binding = access::random_hex(kFormCookieBytes);
      options.set_cookies.push_back(cookie_value(kFormCookie, binding, 86400, *site));
    }
    const std::string suffix = state.next.empty() ? "" : "?next=" + encode_next(state.next);
    mstch::map context{{"login", login},
                       {"action", std::string(login ? "/login" : "/register")},
                       {"heading", std::string(login ? "登录" : "注册")},
                       {"username", state.username},
                       {"next", state.next},
                       {"error", state.error},
                       {"csrf_token", ctx_.accounts.csrf_token(binding)},
                       {"other_link", std::string(login ? "/register" : "/login") + suffix},
                       {"closed", !login && site->registration == "closed"},
                       {"invite", !login && site->registration == "invite"},
                       {"min_username", static_cast<int>(access::kMinUsernameChars)},
                       {"max_username", static_cast<int>(access::kMaxUsernameChars)},
                       {"min_password", static_cast<int>(access::kMinPasswordChars)}};
    return render(req, std::move(status), "account_form", login ? "登录" : "注册", nullptr,
                  std::move(context), std::move(options));
  }

  static std::string encode_next(std::string_view next) {
    std::string out;
    for (unsigned char c : next) {
      if (std::isalnum(c) != 0 || c == '/' || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
    return out;
  }

  Status signed_in(const Request& req, const access::NewSession& session,
                   std::string_view next) const {
    const auto site = ctx_.settings.get();
    ResponseOptions options;
    options.set_cookies.push_back(
        cookie_value(kSessionCookie, session.token, access::kSessionMaxSeconds, *site));
    return redirect(req, local_path(next, "/me"), options);
  }

  ResponseOptions clear_session(const Request&) const {
    ResponseOptions options;
    options.set_cookies.push_back(cookie_value(kSessionCookie, "", 0, *ctx_.settings.get()));
    return options;
  }

  Status to_login(const Request& req) const {
    return redirect(req, "/login?next=" + encode_next(local_path(req->header().path(), "/me")));
  }

  Status page(const Request& req, restinio::http_status_line_t status, const std::string& name,
              std::string_view title, const access::Member& member, mstch::map context) const {
    context["csrf_token"] = member_csrf(member, ctx_.accounts);
    return render(req, std::move(status), name, title, &member, std::move(context));
  }

  static Status json_reply(const Request& req, restinio::http_status_line_t status,
                           const nlohmann::json& body) {
    ResponseOptions options;
    options.cache_control = "no-store";
    return send(req, std::move(status), kJson, body.dump(), options);
  }

  Status notice(const Request& req, restinio::http_status_line_t status, std::string heading,
                std::string message) const {
    return ctx_.layout.error(
        req,
        Failure{status.status_code().raw_code(), std::move(heading), std::move(message), {}, {}},
        std::nullopt);
  }

  Status render(const Request& req, restinio::http_status_line_t status, const std::string& name,
                std::string_view title, const access::Member* member, mstch::map context,
                ResponseOptions options = {}) const {
    const auto site = ctx_.settings.get();
    Head head;
    head.title = fmt::format("{} - {}", title, site->site_name);
    head.noindex = true;
    const PageEnv env = ctx_.layout.env(*site, member ? std::optional(*member) : std::nullopt);
    options.cache_control = "no-store";
    return send(req, std::move(status), kHtml,
                render_in_layout(ctx_.layout.renderer(), env, name, head, std::move(context)),
                options);
  }

  MemberContext ctx_;
};

}  // namespace

std::string csrf_secret(store::Store& store) {
  return store.ensure_setting("csrf_secret", access::random_hex(32));
}

std::optional<access::Member> member_of(const Request& req, access::Accounts& accounts) {
  auto token = cookie(req, kSessionCookie);
  if (!token || token->empty()) return std::nullopt;
  return accounts.member(*token, now_seconds());
}

access::Viewer viewer_of(const std::optional<access::Member>& member) {
  return member ? member->viewer : access::Viewer{};
}

access::Viewer viewer_of(const Request& req, access::Accounts& accounts) {
  return viewer_of(member_of(req, accounts));
}

std::string member_csrf(const access::Member& member, const access::Accounts& accounts) {
  return accounts.csrf_token(member.session.token_hash);
}

void add_member_routes(Router& router, MemberContext ctx) {
  auto pages = std::make_shared<const MemberPages>(ctx);
  const auto route = [&router, pages](bool post, std::string_view path, auto handler) {
    Handler guarded = [pages, handler](const Request& req, Params) {
      return pages->guarded(req, [&] { return handler(*pages, req); });
    };
    if (post) {
      router.http_post(std::string(path), std::move(guarded));
    } else {
      router.get_and_head(path, std::move(guarded));
    }
  };
  using P = MemberPages;
  route(false, "/login",
        [](const P& p, const Request& r) { return p.show_form(r, AccountForm::kLogin); });
  route(true, "/login", [](const P& p, const Request& r) { return p.login(r); });
  route(false, "/register",
        [](const P& p, const Request& r) { return p.show_form(r, AccountForm::kRegister); });
  route(true, "/register", [](const P& p, const Request& r) { return p.register_account(r); });
  route(true, "/logout", [](const P& p, const Request& r) { return p.logout(r); });
  route(false, "/me", [](const P& p, const Request& r) { return p.me(r); });
  route(true, "/me/sessions/end-others",
        [](const P& p, const Request& r) { return p.end_other_sessions(r); });
  route(false, "/me/password", [](const P& p, const Request& r) { return p.password_form(r); });
  route(true, "/me/password", [](const P& p, const Request& r) { return p.change_password(r); });
  route(false, "/me/favorites",
        [](const P& p, const Request& r) { return p.list(r, P::MemberList::kFavorites); });
  route(true, "/me/favorites", [](const P& p, const Request& r) { return p.change_favorite(r); });
  route(true, "/me/favorites/merge",
        [](const P& p, const Request& r) { return p.merge_favorites(r); });
  route(false, "/me/history",
        [](const P& p, const Request& r) { return p.list(r, P::MemberList::kHistory); });
  route(true, "/me/history/clear", [](const P& p, const Request& r) { return p.clear_history(r); });
}

}  // namespace wenku::web
