// Checks shared by the routes that take HTML form posts (联系客服, member accounts).
#pragma once

#include <string_view>

#include "web/http/http.h"

namespace wenku::web {

inline constexpr std::string_view kFormType = "application/x-www-form-urlencoded";

// True unless the request names another site as its source: when it carries Origin (or,
// lacking it, Referer), that URL's host[:port] must equal the Host header or the host of
// `base_url`, the site's configured address ("" when none; a reverse proxy may rewrite Host).
// Requests with neither header pass: browsers that strip both leave nothing to check, and
// non-browser clients could forge them anyway (forms that change an account also check a CSRF
// token).
bool same_site(const Request& req, std::string_view base_url);

// True when the request's Content-Type is application/x-www-form-urlencoded (parameters
// after ';' allowed, case-insensitive).
bool is_form_type(const Request& req);

}  // namespace wenku::web
