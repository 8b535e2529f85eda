// The one mapping from a refused or failed request to its answer, shared by every route
// (public pages, member pages, 联系客服, the API and the admin). A handler refuses a request
// by throwing RequestError (or answering a Failure itself); anything else it throws is our
// fault: logged with the request line and answered 500. Each group of routes only chooses
// how a Failure is written: the public and member pages as the error page in the site's
// layout, the admin in its own layout, the API as JSON {"error": message}.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include "web/http/http.h"

namespace wenku::web {

// What a refused or failed request answers: the HTTP status and, in zh-CN, a heading and a
// message for the reader.
struct Failure {
  int status = 500;
  std::string heading;
  std::string message;
  std::string allow;        // for 405: the methods the address accepts ("GET, HEAD"), sent as Allow
  std::string retry_after;  // for 429 and 503: seconds to wait, sent as Retry-After
};

// The usual Failure of `status`: 400 请求无效, 403 禁止访问, 404 页面不存在, 405, 413, 415,
// 429, 503, and 服务器出错了 for 500 and any status without its own words.
Failure failure_of_status(int status);

// Thrown by a handler to refuse a request with `failure`.
class RequestError : public std::runtime_error {
 public:
  explicit RequestError(Failure failure);
  // failure_of_status(status) with `message` instead of its usual one.
  RequestError(int status, std::string message);

  const Failure& failure() const { return failure_; }

 private:
  Failure failure_;
};

// The Failure of a request the database cannot serve now (store::StoreUnavailable: the primary
// is down and reads come from a standby, or it cannot be reached at all): 503 暂时只读, retry
// after 30 s.
Failure read_only_failure();

// What `e`, thrown while answering `req`, answers: a RequestError's own Failure;
// read_only_failure() for a store::StoreUnavailable; for any other exception
// failure_of_status(500), after logging `e` with the request's method and target.
Failure failure_of(const Request& req, const std::exception& e);

// The status line of HTTP status `status`: 200, 400, 403, 404, 405, 413, 415, 429 and 503 as
// such; 500 for any other number.
restinio::http_status_line_t status_line(int status);

// How a group of routes writes a Failure.
using FailureWriter = std::function<Status(const Request&, const Failure&)>;

// Returns `body()`; when it throws, `write(req, failure_of(req, e))`.
template <typename Body>
Status answer_or_fail(const Request& req, Body body, const FailureWriter& write) {
  try {
    return body();
  } catch (const std::exception& e) {
    return write(req, failure_of(req, e));
  }
}

// `handler`, with whatever it throws answered by `write` (answer_or_fail).
Handler guarded(Handler handler, FailureWriter write);

}  // namespace wenku::web
