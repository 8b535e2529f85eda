#include "web/site/assets.h"

#include <gtest/gtest.h>

#include "web/http/url.h"

namespace wenku::web {
namespace {

TEST(Assets, StylesheetIsEmbeddedWithTypeAndETag) {
  const Asset* css = find_asset("style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_NE(css->data.find("line-height: 1.8"), std::string_view::npos);
  ASSERT_EQ(css->etag.size(), 18u);
  EXPECT_EQ(css->etag.front(), '"');
  EXPECT_EQ(css->etag.back(), '"');
  EXPECT_EQ(asset_url("style.css"), "/static/style.css?v=" + css->etag.substr(1, 16));
  EXPECT_EQ(find_asset("missing.css"), nullptr);
  EXPECT_EQ(find_asset("../CMakeLists.txt"), nullptr);
  EXPECT_THROW(asset_url("missing.css"), std::logic_error);
}

TEST(Assets, IfNoneMatch) {
  const std::string etag = "\"0123456789abcdef\"";
  EXPECT_TRUE(etag_matches(etag, etag));
  EXPECT_TRUE(etag_matches("W/" + etag, etag));
  EXPECT_TRUE(etag_matches("\"other\", " + etag, etag));
  EXPECT_TRUE(etag_matches("*", etag));
  EXPECT_FALSE(etag_matches("\"other\"", etag));
  EXPECT_FALSE(etag_matches("", etag));
  EXPECT_FALSE(etag_matches("0123456789abcdef", etag)) << "unquoted is a different tag";
}

TEST(Url, EncodesQueryValues) {
  EXPECT_EQ(encode_query_value("abc-._~XYZ09"), "abc-._~XYZ09");
  EXPECT_EQ(encode_query_value("a b&c=d+e#f"), "a%20b%26c%3Dd%2Be%23f");
  EXPECT_EQ(encode_query_value("中"), "%E4%B8%AD");
  EXPECT_EQ(encode_query_value("<\"'>"), "%3C%22%27%3E");
  EXPECT_EQ(encode_query_value(""), "");
}

}  // namespace
}  // namespace wenku::web
