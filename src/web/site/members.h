// Member accounts on the site: who is asking (the session cookie → access::Member), and the
// account routes: /register, /login, /logout, /me (account, sessions, 退出其他设备),
// /me/password, /me/favorites (我的收藏), /me/favorites/merge (a guest's 收藏, kept in the
// browser's localStorage, added to the account by site.js after login) and /me/history (阅读历史).
//
// Forms post `username`, `password` and `csrf_token` (application/x-www-form-urlencoded, at
// most kMaxAccountFormBytes). CSRF: a guest's forms are bound to a random `wk_form` cookie set
// with the form, a member's to the session; a missing or wrong token gets 403 and changes
// nothing. Cross-site posts (same_site) get 403 too. The session cookie `wk_session` is
// HttpOnly, SameSite=Lax, Path=/, Secure when the site's base URL is https.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "access/accounts.h"
#include "web/http/http.h"
#include "web/site/layout.h"
#include "web/site/settings.h"

namespace wenku::web {

inline constexpr std::string_view kSessionCookie = "wk_session";
inline constexpr std::size_t kMaxAccountFormBytes = 8 * 1024;
inline constexpr std::size_t kMemberListPageSize = 20;
// POST /me/favorites/merge takes at most kMaxMergeIds ids of at most kMaxMergeIdBytes each, in
// a body of at most kMaxMergeFormBytes (room for them all with their commas escaped as %2C).
inline constexpr std::size_t kMaxMergeIds = 200;
inline constexpr std::size_t kMaxMergeIdBytes = 128;
inline constexpr std::size_t kMaxMergeFormBytes = 32 * 1024;

struct MemberContext {
  store::Store& store;
  SettingsCache& settings;
  access::Accounts& accounts;
  const Layout& layout;
};

// The site's CSRF secret: made at random by the first server process and kept in the store
// (setting "csrf_secret", never shown), so every process and restart shares it.
std::string csrf_secret(store::Store& store);

// The member whose valid session cookie `req` carries, or nullopt (a guest).
std::optional<access::Member> member_of(const Request& req, access::Accounts& accounts);

// The viewer of `req`: member_of's, else a guest. Every route that shows text asks this.
access::Viewer viewer_of(const Request& req, access::Accounts& accounts);
// The viewer of a request whose member (member_of) is `member`: a guest for nullopt.
access::Viewer viewer_of(const std::optional<access::Member>& member);

// The CSRF token of the forms a member's pages carry (the 收藏 button, logout).
std::string member_csrf(const access::Member& member, const access::Accounts& accounts);

void add_member_routes(Router& router, MemberContext ctx);

}  // namespace wenku::web
