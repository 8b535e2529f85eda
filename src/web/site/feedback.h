// 联系客服 (issue 6): the public feedback form at /feedback and its POST handler, which stores
// messages for the admin inbox (Store::add_feedback).
#pragma once

#include <cstddef>
#include <cstdint>

#include "access/accounts.h"
#include "web/http/http.h"
#include "web/site/layout.h"
#include "web/site/settings.h"

namespace wenku::store {
class Store;
}

namespace wenku::web {

// What the feedback routes use; every member must outlive the router.
struct FeedbackContext {
  store::Store& store;
  SettingsCache& settings;
  access::Accounts& accounts;
  const Layout& layout;
};

// Bytes of the POST body. Browsers percent-encode UTF-8, so the longest valid message (2000
// characters of up to 4 bytes, 3 characters per byte: 24 000 bytes) and contact (1 200) need
// more than 16 KiB; 2000 Chinese characters alone take 18 000.
inline constexpr std::size_t kFeedbackMaxBody = 32 * 1024;
inline constexpr std::size_t kFeedbackMaxMessage = 2000;      // code points, after trimming
inline constexpr std::size_t kFeedbackMaxContact = 100;       // code points, after trimming
inline constexpr std::int64_t kFeedbackPerClientPerHour = 5;  // rate limit per client_key

// Adds the routes
//   GET  /feedback   (and HEAD) the form (template feedback.mustache: form#feedback-form with
//                    textarea[name=message], input[name=contact] and the honeypot
//                    input[name=website]); SiteSettings::contact_text above it; with ?sent=1 the
//                    p.flash "已收到您的留言，我们会尽快处理。".
//   POST /feedback   application/x-www-form-urlencoded, body <= kFeedbackMaxBody, fields
//                    message (1..kFeedbackMaxMessage characters), contact (optional, at most
//                    kFeedbackMaxContact characters, one line), website (the honeypot). Stores
//                    the message with client = client_key(req) and answers 303 to
//                    /feedback?sent=1.
// Refusals: a body that is not valid form data or not valid UTF-8, or a message or contact
// breaking the rules, re-renders the form with p.error and the user's input kept (400); a
// filled honeypot gets the success redirect but nothing is stored; the
// (kFeedbackPerClientPerHour + 1)-th message of a client within an hour gets a 429 page; a
// wrong Content-Type 415; a larger body 413.
// Cross-site posts: the form is anonymous (no session to ride on), so the only harm of a
// forged post is spam sent in a visitor's name and eating their rate limit. When the request
// carries Origin (or, lacking it, Referer), its host[:port] must equal the Host header or the
// host of SiteSettings::base_url (a reverse proxy may rewrite Host), else 403. Requests with
// neither header pass: browsers that strip both leave nothing to check, and non-browser
// clients could forge them anyway.
void add_feedback_routes(Router& router, FeedbackContext ctx);

}  // namespace wenku::web
