#include "web/http/errors.h"

#include <cstdint>
#include <utility>

#include <spdlog/spdlog.h>

#include "store/store_error.h"

namespace wenku::web {

Failure failure_of_status(int status) {
  switch (status) {
    case 400:
      return {400, "请求无效", "无法识别这个地址或其中的参数，请检查后重试。", {}, {}};
    case 403:
      return {403, "禁止访问", "您没有权限进行这个操作。", {}, {}};
    case 404:
      return {404, "页面不存在", "您要找的页面不存在，或者文档已被删除。", {}, {}};
    case 405:
      return {405, "请求方式不支持", "这个地址不支持这种请求方式。", {}, {}};
    case 413:
      return {413, "提交的内容过大", "提交的内容超过了允许的大小，请删减后再试。", {}, {}};
    case 415:
      return {415, "无法识别提交的内容", "请通过本站的页面表单提交。", {}, {}};
    case 429:
      return {429, "请求过于频繁", "您的操作太频繁了，请稍等片刻再试。", {}, {}};
    case 503:
      return {503, "服务暂不可用", "服务器正忙，请稍后再试。", {}, {}};
    default:
      return {status, "服务器出错了", "抱歉，服务器处理您的请求时出了问题，请稍后再试。", {}, {}};
  }
}

RequestError::RequestError(Failure failure)
    : std::runtime_error(failure.message), failure_(std::move(failure)) {}

RequestError::RequestError(int status, std::string message)
    : RequestError([&] {
        Failure f = failure_of_status(status);
        f.message = std::move(message);
        return f;
      }()) {}

Failure failure_of(const Request& req, const std::exception& e) {
  if (const auto* refused = dynamic_cast<const RequestError*>(&e)) return refused->failure();
  if (dynamic_cast<const store::StoreUnavailable*>(&e) != nullptr) {
    spdlog::warn("{} {}: {}", req->header().method().c_str(), req->header().request_target(),
                 e.what());
    return read_only_failure();
  }
  spdlog::error("{} {}: {}", req->header().method().c_str(), req->header().request_target(),
                e.what());
  return failure_of_status(500);
}

Failure read_only_failure() {
  return {
      503,
      "暂时只读",
      "网站的数据库正在维护，现在可以照常浏览、搜索和阅读文档；登录、上传、收藏等操作暂时无法完成，"
      "请稍后再试。",
      {},
      "30"};
}

restinio::http_status_line_t status_line(int status) {
  switch (status) {
    case 200:
      return restinio::status_ok();
    case 400:
      return restinio::status_bad_request();
    case 403:
      return restinio::status_forbidden();
    case 404:
      return restinio::status_not_found();
    case 405:
      return restinio::status_method_not_allowed();
    case 413:
      return restinio::status_payload_too_large();
    case 415:
      return restinio::status_unsupported_media_type();
    case 429:
      return restinio::status_too_many_requests();
    case 503:
      return restinio::status_service_unavailable();
    default:
      return restinio::status_internal_server_error();
  }
}

Handler guarded(Handler handler, FailureWriter write) {
  return
      [handler = std::move(handler), write = std::move(write)](const Request& req, Params params) {
        return answer_or_fail(
            req, [&] { return handler(req, std::move(params)); }, write);
      };
}

}  // namespace wenku::web
