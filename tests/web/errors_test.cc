// The one error mapping (web/http/errors.h). How each group writes a Failure is tested
// through its routes (api_test: JSON bodies; pages, members and feedback tests: error pages).
#include "web/http/errors.h"

#include <gtest/gtest.h>

namespace wenku::web {
namespace {

TEST(Errors, EveryRefusalStatusHasItsOwnChineseWords) {
  const int statuses[] = {400, 403, 404, 405, 413, 415, 429, 503};
  for (int status : statuses) {
    const Failure f = failure_of_status(status);
    EXPECT_EQ(f.status, status);
    EXPECT_FALSE(f.heading.empty());
    EXPECT_FALSE(f.message.empty());
    EXPECT_NE(f.heading, failure_of_status(500).heading) << status;
    EXPECT_EQ(status_line(status).status_code().raw_code(), status);
  }
  EXPECT_EQ(failure_of_status(404).heading, "页面不存在");
  EXPECT_EQ(failure_of_status(500).heading, "服务器出错了");
}

TEST(Errors, UnknownStatusesAreServerErrors) {
  EXPECT_EQ(failure_of_status(502).heading, failure_of_status(500).heading);
  EXPECT_EQ(failure_of_status(502).status, 502);
  EXPECT_EQ(status_line(502).status_code().raw_code(), 500);
  EXPECT_EQ(status_line(200).status_code().raw_code(), 200);
}

TEST(Errors, ARequestErrorKeepsItsStatusHeadingAndMessage) {
  const RequestError refused(429, "登录失败次数过多，请 1 分钟后再试。");
  EXPECT_EQ(refused.failure().status, 429);
  EXPECT_EQ(refused.failure().heading, failure_of_status(429).heading);
  EXPECT_EQ(refused.failure().message, "登录失败次数过多，请 1 分钟后再试。");
  EXPECT_STREQ(refused.what(), "登录失败次数过多，请 1 分钟后再试。");
  const RequestError own(Failure{403, "无法提交留言", "请在本站提交。", {}, {}});
  EXPECT_EQ(own.failure().heading, "无法提交留言");
}

}  // namespace
}  // namespace wenku::web
