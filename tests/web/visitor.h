// A visitor of the site in the web tests: a cookie jar and a source address of its own.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "web/http/url.h"
#include "web/http_client.h"

namespace wenku::web::testing_http {

// One visitor: a cookie jar and a source address of its own.
class Visitor {
 public:
  Visitor(int port, std::string source = "127.0.0.1") : port_(port), source_(std::move(source)) {}

  Reply get(const std::string& target) { return send(http::verb::get, target, ""); }

  // GETs `form_page`, then POSTs `fields` plus the page's csrf_token to `target`.
  Reply submit(const std::string& form_page, const std::string& target,
               std::vector<std::pair<std::string, std::string>> fields) {
    fields.emplace_back("csrf_token", csrf_of(get(form_page).body));
    return post(target, fields);
  }

  Reply post(const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + name + "=" + encode_query_value(value);
    }
    return send(http::verb::post, target, body);
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex csrf(R"re(name="csrf_token" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, csrf) ? m[1].str() : "";
  }

  bool has_cookie(const std::string& name) const { return jar_.contains(name); }
  std::string set_cookie_header;  // the last Set-Cookie of wk_session seen

 private:
  Reply send(http::verb verb, const std::string& target, const std::string& body) {
    Headers headers;
    std::string cookies;
    for (const auto& [name, value] : jar_)
      cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    if (!cookies.empty()) headers.emplace_back(http::field::cookie, cookies);
    if (verb == http::verb::post) {
      headers.emplace_back(http::field::content_type, "application/x-www-form-urlencoded");
    }
    auto reply = fetch(port_, verb, target, headers, body, source_);
    for (const auto& field : reply.headers) {
      if (field.name() != http::field::set_cookie) continue;
      const std::string value(field.value());
      const auto eq = value.find('=');
      const auto end = value.find(';');
      const std::string name = value.substr(0, eq);
      const std::string content = value.substr(eq + 1, end - eq - 1);
      if (name == "wk_session") set_cookie_header = value;
      if (content.empty() || value.find("Max-Age=0") != std::string::npos) {
        jar_.erase(name);
      } else {
        jar_[name] = content;
      }
    }
    return reply;
  }

  int port_;
  std::string source_;
  std::map<std::string, std::string> jar_;
};

}  // namespace wenku::web::testing_http
