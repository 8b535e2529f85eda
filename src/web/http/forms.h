// What clients send, decoded: query strings, form bodies (urlencoded and multipart/form-data)
// and the checks shared by the routes that take HTML form posts (联系客服, member accounts,
// the admin). Everything decoded is valid UTF-8 or refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Parses the query string, or nullopt when it is malformed (bad escapes, invalid UTF-8).
std::optional<Query> query_of(const Request& req);

// Parses an application/x-www-form-urlencoded body, or nullopt when malformed or invalid
// UTF-8.
std::optional<Query> form_of(std::string_view body);

// The value of `name` in `query`, trimmed of ASCII whitespace; "" when absent.
std::string param(const Query& query, std::string_view name);

// A file of a multipart/form-data body.
struct UploadedFile {
  std::string field;       // the form field's name
  std::string name;        // the client's file name without any directory part
  std::string_view bytes;  // a view into the request body
};

// A POST body: its fields in order (a name may repeat) and, for multipart bodies, its files.
struct Form {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<UploadedFile> files;

  // The first value of `name`, trimmed of ASCII whitespace; "" when absent.
  std::string value(std::string_view name) const;
  // Every value of `name`, in order, untrimmed.
  std::vector<std::string> values(std::string_view name) const;
};

// Reads an application/x-www-form-urlencoded or multipart/form-data body. nullopt when the
// body is malformed, of another type, or a name, a field's value or a file name is not valid
// UTF-8.
std::optional<Form> read_form(const Request& req);

}  // namespace wenku::web
