// Unit tests of the request helpers in web/http.h, qr.h and settings.h that need no server.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "http_client.h"
#include "web/http/forms.h"
#include "web/http/http.h"
#include "web/site/qr.h"
#include "web/site/settings.h"

namespace wenku::web {
namespace {

using testing_http::gunzip;

TEST(Http, AcceptsGzip) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000, br"));
  EXPECT_FALSE(accepts_gzip("x-gzip-like"));
}

TEST(Http, GzipRoundTrips) {
  std::string page;
  for (int i = 0; i < 500; ++i) page += "坚持以人民为中心的发展思想。";
  const std::string packed = gzip(page);
  EXPECT_LT(packed.size(), page.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  EXPECT_EQ(gunzip(packed), page);
  EXPECT_EQ(gunzip(gzip("")), "");
}

TEST(Http, FormDecodesPlusAndPercent) {
  auto form = form_of("contact=a+b%2Bc&message=%E4%BD%A0%E5%A5%BD+%21&empty=");
  ASSERT_TRUE(form);
  EXPECT_EQ(param(*form, "contact"), "a b+c");
  EXPECT_EQ(param(*form, "message"), "你好 !");
  EXPECT_EQ(param(*form, "empty"), "");
  EXPECT_EQ(param(*form, "missing"), "");
  EXPECT_FALSE(form_of("bad=%ZZ"));
  EXPECT_FALSE(form_of("bad=%FF%FE")) << "invalid UTF-8 is refused";
}

TEST(Http, PageParam) {
  EXPECT_EQ(page_param(*form_of("page=3")), 3u);
  EXPECT_EQ(page_param(*form_of("x=1")), 1u);
  EXPECT_EQ(page_param(*form_of("page=abc")), 1u);
  EXPECT_EQ(page_param(*form_of("page=0")), 1u);
  EXPECT_EQ(page_param(*form_of("page=1001")), 0u);
  EXPECT_EQ(page_param(*form_of("page=99999999999999999999999")), 0u);
}

TEST(Http, HttpDate) {
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(1640390400), "Sat, 25 Dec 2021 00:00:00 GMT");
}

TEST(Qr, SvgHasQuietZoneAndModules) {
  const std::string svg = qr_svg("https://wenku.example.cn/doc/xi2020-20201119-1", 4);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re")));
  const int size = std::stoi(m[1]);
  // Version 4 (33 modules) fits this URL at level M; a quiet zone of 4 on each side.
  EXPECT_EQ((size - 8 - 21) % 4, 0) << "QR widths are 21 + 4k modules";
  EXPECT_GE(size, 8 + 21);
  // The three finder patterns start at the quiet zone's corner: module (4,4) is dark.
  EXPECT_NE(svg.find("M4 4h1v1h-1z"), std::string::npos);
  EXPECT_NE(svg.find(R"(width=")" + std::to_string(size * 4) + "\""), std::string::npos);
}

TEST(Qr, RefusesEmptyAndOversizedText) {
  EXPECT_THROW(qr_svg(""), std::invalid_argument);
  EXPECT_THROW(qr_svg(std::string(5000, 'a')), std::invalid_argument);
  EXPECT_NO_THROW(qr_svg("公文写作范文宝典"));
}

TEST(Settings, ReadsValuesOverDefaults) {
  SiteSettings defaults;
  defaults.site_name = "默认文库";
  auto s = settings_from({{"site_name", "携笔文库"},
                          {"preview_chars", "800"},
                          {"guests_read_full_text", "1"},
                          {"contact_text", "电话 010-12345678"}},
                         defaults);
  EXPECT_EQ(s.site_name, "携笔文库");
  EXPECT_EQ(s.preview_chars, 800u);
  EXPECT_TRUE(s.guests_read_full_text);
  EXPECT_TRUE(s.policy().guests_read_full_text);
  EXPECT_EQ(s.policy().preview_chars, 800u);
  EXPECT_EQ(s.contact_text, "电话 010-12345678");

  EXPECT_EQ(settings_from({{"preview_chars", "abc"}}, defaults).preview_chars, 600u);
  EXPECT_EQ(settings_from({{"preview_chars", "5"}}, defaults).preview_chars, 50u);
  EXPECT_EQ(settings_from({{"preview_chars", "999999"}}, defaults).preview_chars, 20000u);
  EXPECT_EQ(settings_from({{"site_name", ""}}, defaults).site_name, "默认文库");
  EXPECT_FALSE(settings_from({}, defaults).guests_read_full_text);
  // 标题日期前缀 is on unless the admin turned it off.
  EXPECT_TRUE(settings_from({}, defaults).title_date_prefix);
  EXPECT_FALSE(settings_from({{"title_date_prefix", "0"}}, defaults).title_date_prefix);
}

TEST(Settings, RoundTripsThroughValues) {
  SiteSettings s;
  s.site_name = "文库";
  s.base_url = "https://example.cn";
  s.preview_chars = 1234;
  s.guests_read_full_text = true;
  s.title_date_prefix = false;
  s.contact_text = "x";
  s.wechat_caption = "关注我们";
  auto back = settings_from(settings_to_values(s), SiteSettings{});
  EXPECT_EQ(back.site_name, s.site_name);
  EXPECT_EQ(back.base_url, s.base_url);
  EXPECT_EQ(back.preview_chars, s.preview_chars);
  EXPECT_EQ(back.guests_read_full_text, s.guests_read_full_text);
  EXPECT_EQ(back.title_date_prefix, s.title_date_prefix);
  EXPECT_EQ(back.contact_text, s.contact_text);
  EXPECT_EQ(back.wechat_caption, s.wechat_caption);
}

}  // namespace
}  // namespace wenku::web
