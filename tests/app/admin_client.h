// A small client of a running `wenku serve --admin-token T`'s admin, for the tests that
// upload through it (tests/app/serve_crash_test.cc, tests/app/ingest_serve_test.cc): one
// request per connection, login with the token, multipart uploads answered as JSON.
#pragma once

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "testing/test_support.h"

namespace wenku::testing {

struct Answer {
  int status = 0;
  std::string headers;
  std::string body;
};

// One request on a connection of its own; status 0 when no whole answer came.
inline Answer send_request(int port, const std::string& head, const std::string& body = "") {
  const std::string raw =
      http_exchange(port, head + "Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
  Answer answer;
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos || !raw.starts_with("HTTP/1.1 ")) return answer;
  answer.headers = raw.substr(0, end);
  answer.body = raw.substr(end + 4);
  answer.status = std::atoi(raw.c_str() + 9);
  return answer;
}

// An admin session on the server at `port`: its cookie and form token (both empty when the
// login failed).
struct AdminSession {
  std::string cookie;
  std::string csrf;
};

inline AdminSession log_in(int port, const std::string& token) {
  const auto login = send_request(port,
                                  "POST /admin/login HTTP/1.1\r\n"
                                  "Content-Type: application/x-www-form-urlencoded\r\n",
                                  "token=" + token);
  std::smatch m;
  AdminSession session;
  static const std::regex cookie(R"((?:^|\r\n)set-cookie: *([^;\r\n]+))", std::regex::icase);
  if (!std::regex_search(login.headers, m, cookie)) return session;
  session.cookie = m[1];
  const auto page = send_request(port, "GET /admin HTTP/1.1\r\nCookie: " + session.cookie + "\r\n");
  static const std::regex csrf(R"re(name="csrf" value="([0-9a-f]+)")re");
  if (std::regex_search(page.body, m, csrf)) session.csrf = m[1];
  return session;
}

// A file to upload: its name and bytes.
using UploadFile = std::pair<std::string, std::string>;

// Posts `files` to /admin/upload in one request and returns the answer (JSON asked for).
inline Answer upload_files(int port, const AdminSession& session,
                           const std::vector<UploadFile>& files) {
  const std::string boundary = "----wenku-test-upload-boundary";
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" +
                     session.csrf + "\r\n";
  for (const auto& [name, bytes] : files) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" +
            name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return send_request(port,
                      "POST /admin/upload HTTP/1.1\r\nCookie: " + session.cookie +
                          "\r\nAccept: application/json\r\n"
                          "Content-Type: multipart/form-data; boundary=" +
                          boundary + "\r\n",
                      body);
}

// The per-file reports of an upload's JSON answer (`files`); null when the answer is not a
// 200 with such a list.
inline nlohmann::json upload_reports(const Answer& answer) {
  if (answer.status != 200) return nullptr;
  const auto json = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("files") || !json["files"].is_array()) return nullptr;
  return json["files"];
}

}  // namespace wenku::testing
