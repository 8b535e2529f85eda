#include "web/site/feedback.h"

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store/store.h"
#include "text/utf8.h"
#include "web/http/forms.h"
#include "web/site/members.h"

namespace wenku::web {

namespace {

constexpr std::string_view kSentFlash = "已收到您的留言，我们会尽快处理。";
constexpr std::string_view kSentLocation = "/feedback?sent=1";

// What the visitor typed, kept when the form is shown again.
struct FormInput {
  std::string message;
  std::string contact;
};

// True when `s` holds a C0 control character or DEL; tab, CR and LF pass when `multiline`.
bool has_control(std::string_view s, bool multiline) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (multiline && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Why `input` cannot be stored, or nullopt.
std::optional<std::string> problem_of(const FormInput& input) {
  if (input.message.empty()) return "请填写留言内容。";
  const std::size_t length = text::count_code_points(input.message);
  if (length > kFeedbackMaxMessage) {
    return fmt::format("留言内容最多 {} 字，您填写了 {} 字，请删减后再提交。", kFeedbackMaxMessage,
                       length);
  }
  if (has_control(input.message, true)) return "留言内容含有无法显示的控制字符，请删除后再提交。";
  if (text::count_code_points(input.contact) > kFeedbackMaxContact) {
    return fmt::format("联系方式最多 {} 字。", kFeedbackMaxContact);
  }
  if (has_control(input.contact, false)) return "联系方式只能填写一行文字。";
  return std::nullopt;
}

// "YYYY-MM-DD HH:MM:SS" UTC of `t` (the form of Feedback::created_at).
std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%d %H:%M:%S}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

class FeedbackPages {
 public:
  explicit FeedbackPages(FeedbackContext ctx) : ctx_(ctx) {}

  Status show(const Request& req) const {
    const auto query = query_of(req);
    const bool sent = query && param(*query, "sent") == "1";
    return form(req, restinio::status_ok(), {}, "", sent ? kSentFlash : "");
  }

  Status submit(const Request& req) const {
    const auto site = ctx_.settings.get();
    if (!same_site(req, site->base_url)) {
      return notice(req, restinio::status_forbidden(), "无法提交留言",
                    "请在本站的联系客服页面填写并提交留言。");
    }
    if (!is_form_type(req)) {
      return notice(req, restinio::status_unsupported_media_type(), "无法提交留言",
                    "请在本站的联系客服页面填写并提交留言。");
    }
    if (req->body().size() > kFeedbackMaxBody) {
      return notice(req, restinio::status_payload_too_large(), "留言内容过长",
                    fmt::format("提交的内容超过 {} KB，请删减后再提交。", kFeedbackMaxBody / 1024));
    }
    const auto fields = form_of(req->body());
    if (!fields) {
      return form(req, restinio::status_bad_request(), {},
                  "提交的内容无法识别（含有错误的编码），请重新填写。", "");
    }
    const std::string client = client_key(req);
    if (!param(*fields, "website").empty()) {
      spdlog::info("feedback: honeypot filled by client {}; not stored", client);
      return redirect(req, std::string(kSentLocation));
    }
    const auto hour_ago = std::chrono::system_clock::now() - std::chrono::hours(1);
    if (ctx_.store.feedback_count_since(client, utc_timestamp(hour_ago)) >=
        kFeedbackPerClientPerHour) {
      return notice(
          req, restinio::status_too_many_requests(), "留言过于频繁",
          fmt::format("每小时最多可提交 {} 条留言，请稍后再试。", kFeedbackPerClientPerHour));
    }
    FormInput input{param(*fields, "message"), param(*fields, "contact")};
    if (auto problem = problem_of(input)) {
      return form(req, restinio::status_bad_request(), input, std::move(*problem), "");
    }
    store::Feedback feedback;
    feedback.contact = std::move(input.contact);
    feedback.message = std::move(input.message);
    feedback.client = client;
    ctx_.store.add_feedback(feedback);
    return redirect(req, std::string(kSentLocation));
  }

  // Runs `handler`; what it throws is answered with the error page (errors.h).
  template <typename F>
  Status guarded(const Request& req, F handler) const {
    return answer_or_fail(req, handler, [this](const Request& r, const Failure& failure) {
      return ctx_.layout.error(r, failure, std::nullopt);
    });
  }

 private:
  // The form page with `input` filled in, and `error` or `flash` above it.
  Status form(const Request& req, restinio::http_status_line_t status, const FormInput& input,
              std::string error, std::string_view flash) const {
    const auto site = ctx_.settings.get();
    Head head;
    head.title = fmt::format("联系客服 - {}", site->site_name);
    head.description = "联系客服：留下您的意见、建议或问题，我们会尽快处理。";
    mstch::map context{{"message", input.message},
                       {"contact", input.contact},
                       {"error", std::move(error)},
                       {"flash", std::string(flash)},
                       {"max_message", static_cast<int>(kFeedbackMaxMessage)},
                       {"max_contact", static_cast<int>(kFeedbackMaxContact)}};
    ResponseOptions options;
    options.cache_control = "no-store";
    const PageEnv env = ctx_.layout.env(*site, member_of(req, ctx_.accounts));
    return send(req, std::move(status), kHtml,
                render_in_layout(ctx_.layout.renderer(), env, "feedback", head, std::move(context)),
                options);
  }

  // The error page of `status` with `heading` and `message`.
  Status notice(const Request& req, restinio::http_status_line_t status, std::string heading,
                std::string message) const {
    return ctx_.layout.error(
        req,
        Failure{status.status_code().raw_code(), std::move(heading), std::move(message), {}, {}},
        std::nullopt);
  }

  FeedbackContext ctx_;
};

}  // namespace

void add_feedback_routes(Router& router, FeedbackContext ctx) {
  auto pages = std::make_shared<const FeedbackPages>(ctx);
  router.get_and_head("/feedback", [pages](const Request& req, Params) {
    return pages->guarded(req, [&] { return pages->show(req); });
  });
  router.http_post("/feedback", [pages](const Request& req, Params) {
    return pages->guarded(req, [&] { return pages->submit(req); });
  });
}

}  // namespace wenku::web
