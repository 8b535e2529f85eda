#include "web/http/request_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace wenku::web {
namespace {

TEST(BodyLimit, NoneForReadsLittleForFormsTheUploadLimitOnlyForUploads) {
  EXPECT_EQ(body_limit("GET", "/"), 0u);
  EXPECT_EQ(body_limit("HEAD", "/doc/x"), 0u);
  EXPECT_EQ(body_limit("DELETE", "/admin/upload"), 0u);
  EXPECT_EQ(body_limit("POST", "/admin/upload"), kMaxUploadBytes);
  EXPECT_GT(body_limit("POST", "/admin/docs/gwr-2016/edit"), body_limit("POST", "/admin/settings"));
  EXPECT_LT(body_limit("POST", "/admin/docs/gwr-2016/edit"), kMaxUploadBytes);
  EXPECT_GT(body_limit("POST", "/admin/settings"), body_limit("POST", "/feedback"));
  EXPECT_EQ(body_limit("POST", "/feedback"), body_limit("POST", "/login"));
  EXPECT_GE(body_limit("POST", "/feedback"), 16u * 1024);  // a long message still fits
}

std::string head(const std::string& method, const std::string& target, const std::string& extra) {
  return method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

TEST(RequestGuard, ABodyAboveItsRoutesLimitIsRefusedAtItsHead) {
  RequestGuard guard;
  // The head alone decides: not one byte of the body has come yet.
  EXPECT_EQ(guard.feed(head("GET", "/", "Content-Length: 50000000\r\n")), Refusal::kBodyTooLarge);
  RequestGuard form;
  EXPECT_EQ(form.feed(head("POST", "/feedback", "Content-Length: 70000\r\n")),
            Refusal::kBodyTooLarge);
  RequestGuard upload;
  EXPECT_EQ(upload.feed(head("POST", "/admin/upload", "Content-Length: 50000000\r\n")),
            Refusal::kNone);
  RequestGuard empty;
  EXPECT_EQ(empty.feed(head("GET", "/?q=1", "Content-Length: 0\r\n")), Refusal::kNone);
}

TEST(RequestGuard, ChunkedBodiesAreCountedAsTheyCome) {
  RequestGuard guard;
  EXPECT_EQ(guard.feed(head("POST", "/feedback", "Transfer-Encoding: chunked\r\n")),
            Refusal::kNone);
  const std::string chunk = "8000\r\n" + std::string(0x8000, 'a') + "\r\n";  // 32 KiB
  EXPECT_EQ(guard.feed(chunk), Refusal::kNone);
  EXPECT_EQ(guard.feed(chunk), Refusal::kNone);  // 64 KiB: the limit of a form
  EXPECT_EQ(guard.feed("1\r\n"), Refusal::kNone);
  EXPECT_EQ(guard.feed("a"), Refusal::kBodyTooLarge);
}

TEST(RequestGuard, HeadsAndTargetsAreBoundedWhereverTheReadsSplitThem) {
  RequestGuard guard;
  const std::string big = head("GET", "/", "Cookie: " + std::string(kMaxHeadBytes, 'c') + "\r\n");
  Refusal refusal = Refusal::kNone;
  for (std::size_t at = 0; at < big.size() && refusal == Refusal::kNone; at += 1000) {
    refusal = guard.feed(std::string_view(big).substr(at, 1000));
  }
  EXPECT_EQ(refusal, Refusal::kHeadTooLarge);
  RequestGuard fits;
  EXPECT_EQ(
      fits.feed(head("GET", "/", "Cookie: " + std::string(kMaxHeadBytes - 200, 'c') + "\r\n")),
      Refusal::kNone);
  RequestGuard target;
  EXPECT_EQ(target.feed(head("GET", "/search?q=" + std::string(kMaxTargetBytes, 'a'), "")),
            Refusal::kTargetTooLong);
}

TEST(RequestGuard, FollowsPipelinedRequestsAndKnowsWhenAHeadIsArriving) {
  RequestGuard guard;
  EXPECT_FALSE(guard.head_arriving());
  EXPECT_EQ(guard.feed("GET / HT"), Refusal::kNone);
  EXPECT_TRUE(guard.head_arriving());
  EXPECT_EQ(guard.feed("TP/1.1\r\nHost: x\r\n\r\n"), Refusal::kNone);
  EXPECT_FALSE(guard.head_arriving());
  // A form with its body, then a GET with a body it may not have, in one read.
  const std::string form = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\na=b&c";
  EXPECT_EQ(guard.feed(form + head("GET", "/", "Content-Length: 10\r\n")), Refusal::kBodyTooLarge);
  EXPECT_EQ(guard.requests(), 3u);
  // Nothing is looked at after a refusal.
  EXPECT_EQ(guard.feed(head("GET", "/", "Content-Length: 10\r\n")), Refusal::kNone);
}

TEST(RequestGuard, RefusalsAreWholeChineseResponsesThatCloseTheConnection) {
  for (auto [refusal, status] :
       {std::pair{Refusal::kBodyTooLarge, "413"}, std::pair{Refusal::kHeadTooLarge, "431"},
        std::pair{Refusal::kTargetTooLong, "414"}}) {
    const std::string response = refusal_response(refusal);
    EXPECT_TRUE(response.starts_with(std::string("HTTP/1.1 ") + status + " ")) << response;
    EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos);
    const auto body = response.substr(response.find("\r\n\r\n") + 4);
    EXPECT_NE(response.find("Content-Length: " + std::to_string(body.size()) + "\r\n"),
              std::string::npos);
    EXPECT_NE(body.find("lang=\"zh-CN\""), std::string::npos);
  }
}

}  // namespace
}  // namespace wenku::web
