#include "io/html.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "io/import.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

using namespace std::string_literals;

doc::Document parse_ok(std::string_view bytes, std::string_view file_name = "page.html") {
  Parsed parsed = parse_html(bytes, file_name);
  EXPECT_TRUE(parsed.doc) << file_name << ": " << parsed.error;
  if (parsed.doc) {
    EXPECT_TRUE(text::is_valid_utf8(parsed.doc->title));
    EXPECT_TRUE(text::is_valid_utf8(parsed.doc->content));
    EXPECT_EQ(parsed.doc->content.find("\n\n"), std::string::npos);
  }
  return parsed.doc.value_or(doc::Document{});
}

std::string error_of(std::string_view bytes, std::string_view file_name = "page.html") {
  Parsed parsed = parse_html(bytes, file_name);
  EXPECT_FALSE(parsed.doc) << file_name << " gave: " << (parsed.doc ? parsed.doc->content : "");
  return parsed.error;
}

// A 公文 as a government site serves it: navigation, breadcrumbs in a header, scripts,
// styles, a share bar, a footer, full-width indents and &nbsp; padding.
constexpr std::string_view kGovernmentPage = R"(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关于做好2024年春节期间安全生产工作的通知_某某市人民政府门户网站</title>
<style>body { font-family: "SimSun"; } .nav li { float: left; }</style>
<script>var _hmt = _hmt || []; document.write("<p>广告</p>");</script>
</head>
<body>
<header><div class="logo">某某市人民政府</div><nav><ul><li><a href="/">首页</a></li>
<li><a href="/zwgk">政务公开</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav></header>
<div class="crumb"><nav>当前位置：首页 &gt; 政务公开 &gt; 通知公告</nav></div>
<div class="article">
  <h1 class="title">关于做好2024年春节期间<br>安全生产工作的通知</h1>
  <div class="info">发布时间：2024-02-01&nbsp;&nbsp;来源：市应急管理局</div>
  <div class="content">
    <p>各区县人民政府，市政府各部门：</p>
    <p style="text-indent:2em">　　春节将至，为切实做好节日期间安全生产工作，
       现将有关事项通知如下。</p>
    <p>&nbsp;&nbsp;一、高度重视，压实责任。<br>各单位要认清形势。</p>
    <table><tr><td>联系人</td><td>张三</td></tr><tr><td>电话</td><td>12345678</td></tr></table>
    <ul><li>加强值班值守；</li><li>做好应急准备。</li></ul>
    <p style="text-align:right">某某市人民政府办公室<br>2024年2月1日</p>
  </div>
  <div class="share"><script>share();</script><noscript>请启用脚本</noscript></div>
  <iframe src="https://example.invalid/ad"></iframe>
</div>
<footer><p>版权所有：某某市人民政府 网站标识码：1234567890</p><p>备案号：X ICP备12345678号</p></footer>
</body>
</html>
)";

TEST(ParseHtml, ReadsAGovernmentPageWithoutItsChrome) {
  auto d = parse_ok(kGovernmentPage, "/uploads/通知-2024.html");
  // The <h1> is within the <title>, which adds the site name: the <h1> wins; the <br> in it
  // joins two CJK halves without a space.
  EXPECT_EQ(d.title, "关于做好2024年春节期间安全生产工作的通知");
  EXPECT_EQ(d.content,
            "发布时间：2024-02-01 来源：市应急管理局\n"
            "各区县人民政府，市政府各部门：\n"
            "春节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。\n"
            "一、高度重视，压实责任。\n"
            "各单位要认清形势。\n"
            "联系人\n张三\n电话\n12345678\n"
            "加强值班值守；\n做好应急准备。\n"
            "某某市人民政府办公室\n2024年2月1日");
  for (std::string_view chrome : {"首页", "政务公开", "广告", "_hmt", "font-family", "share",
                                  "请启用脚本", "版权所有", "备案号", "当前位置"}) {
    EXPECT_EQ(d.content.find(chrome), std::string::npos) << chrome;
  }
  EXPECT_EQ(d.source, "/uploads/通知-2024.html");
  EXPECT_EQ(d.id, parse_plain_text("标题\n正文", "通知-2024.txt").doc->id)
      << "the id comes from the stem, as for a text file";
  EXPECT_EQ(d.date, "");
  EXPECT_EQ(d.category, "");
}

// A document type declaration, an internal subset included, is not text of the page.
TEST(ParseHtml, TheDoctypeAndItsInternalSubsetAreNotText) {
  const std::string body =
      "<html><head><title>关于加强工作的通知</title></head><body><p>第一段正文。</p></body></html>";
  for (const std::string& doctype :
       {std::string("<!DOCTYPE html>"),
        std::string("  <!doctype HTML PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x.dtd\">\n"),
        std::string("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x.dtd\" [\n"
                    "<!ENTITY foo \"bar\">\n<!ELEMENT x ANY>\n]>\n")}) {
    auto d = parse_ok(doctype + body);
    EXPECT_EQ(d.title, "关于加强工作的通知") << doctype;
    EXPECT_EQ(d.content, "第一段正文。") << doctype;
  }
  // An unclosed subset swallows the rest: nothing readable is left, and the page is refused.
  EXPECT_FALSE(parse_html("<!DOCTYPE html [ <!ENTITY a \"b\">" + body, "a.html").doc);
}

TEST(ParseHtml, TitleFromTitleElementIsNotRepeatedInTheText) {
  auto d = parse_ok(
      "<html><head><title> 年度 工作总结 </title></head><body><p>年度 工作总结</p>"
      "<p>一年来……</p></body></html>");
  EXPECT_EQ(d.title, "年度 工作总结");
  EXPECT_EQ(d.content, "一年来……");

  auto other_h1 =
      parse_ok("<title>述职报告</title><h1>某某单位</h1><p>本人任职以来……</p>", "report.htm");
  EXPECT_EQ(other_h1.title, "述职报告") << "an <h1> not within the <title> does not replace it";
  EXPECT_EQ(other_h1.content, "某某单位\n本人任职以来……");
}

TEST(ParseHtml, TitleFromTheFirstH1OrElseTheFirstParagraph) {
  auto h1 = parse_ok("<body><h2>副标题</h2><h1>主要标题</h1><h1>第二个</h1><p>正文</p>");
  EXPECT_EQ(h1.title, "主要标题");
  EXPECT_EQ(h1.content, "副标题\n第二个\n正文");

  auto paragraph = parse_ok("<div>会议纪要</div><div>会议时间：三月五日</div>");
  EXPECT_EQ(paragraph.title, "会议纪要");
  EXPECT_EQ(paragraph.content, "会议时间：三月五日");
}

TEST(ParseHtml, CollapsesWhitespaceAsABrowserDoes) {
  auto d = parse_ok(
      "<title>T</title><p>Hello,\n   world\tand <b>bold</b>text</p>"
      "<p>中文换行\n   不加空格，English\nkeeps one</p>"
      "<p>&nbsp;\u3000 前后空白 \u3000&nbsp;</p><p>\u3000\u3000</p><p>&nbsp;</p>"
      "<p>内部\u3000全角空格保留</p><div>a<span> </span>b</div>");
  EXPECT_EQ(d.content,
            "Hello, world and boldtext\n"
            "中文换行不加空格，English keeps one\n"
            "前后空白\n"
            "内部\u3000全角空格保留\n"
            "a b");
}

TEST(ParseHtml, PreformattedLinesAreParagraphs) {
  auto d = parse_ok("<title>代码</title><pre>第一行\n  第二行  \n\n第三行</pre>");
  EXPECT_EQ(d.content, "第一行\n第二行\n第三行");
}

TEST(ParseHtml, DecodesGbkPagesDeclaredByMeta) {
  // "关于做好春节期间安全生产工作的通知", "各单位：", "现将有关事项通知如下。" in GBK.
  const std::string title =
      "\xB9\xD8\xD3\xDA\xD7\xF6\xBA\xC3\xB4\xBA\xBD\xDA\xC6\xDA\xBC\xE4\xB0\xB2\xC8\xAB\xC9\xFA"
      "\xB2\xFA\xB9\xA4\xD7\xF7\xB5\xC4\xCD\xA8\xD6\xAA";
  const std::string para1 = "\xB8\xF7\xB5\xA5\xCE\xBB\xA3\xBA";
  const std::string para2 =
      "\xCF\xD6\xBD\xAB\xD3\xD0\xB9\xD8\xCA\xC2\xCF\xEE\xCD\xA8\xD6\xAA\xC8\xE7\xCF\xC2\xA1\xA3";
  const std::string body = "<title>" + title + "</title></head><body><p>" + para1 + "</p><p>" +
                           para2 + "</p></body></html>";
  for (std::string head : {"<html><head><meta charset=\"GBK\">",
                           "<html><head><meta http-equiv=\"Content-Type\" "
                           "content=\"text/html; charset=gb2312\">",
                           "<html><head><META CHARSET = 'gb18030' />"}) {
    auto d = parse_ok(head + body, "gbk.html");
    EXPECT_EQ(d.title, "关于做好春节期间安全生产工作的通知") << head;
    EXPECT_EQ(d.content, "各单位：\n现将有关事项通知如下。") << head;
  }
  // Undeclared, the same bytes are not UTF-8 and are refused rather than shown garbled.
  EXPECT_NE(error_of("<html><head>" + body).find("not UTF-8"), std::string::npos);
}

TEST(ParseHtml, MalformedUtf8BecomesReplacementCharacters) {
  const std::string text(200, 'x');
  auto d = parse_ok("<title>标题</title><p>好\xE4\xBD文字" + text + "\xFF\xC0\xAF</p>");
  EXPECT_EQ(d.content, "好\uFFFD文字" + text + "\uFFFD\uFFFD\uFFFD");
  // A UTF-8 byte order mark is not text.
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF<title>标题</title><p>正文</p>").title, "标题");
}

TEST(ParseHtml, NulAndControlBytesAreDropped) {
  const std::string page = "<title>标\0题</title><p>正\0文\x01\x1B内容</p><p>\0</p>"s;
  auto d = parse_ok(page);
  EXPECT_EQ(d.title, "标题");
  EXPECT_EQ(d.content, "正文内容");
}

TEST(ParseHtml, MarkupInTitlesStaysText) {
  auto escaped = parse_ok("<title>&lt;script&gt;alert(1)&lt;/script&gt;通知</title><p>正文</p>");
  EXPECT_EQ(escaped.title, "<script>alert(1)</script>通知");

  auto injected = parse_ok(
      "<h1><img src=x onerror=alert(1)>关于<script>alert(2)</script>的通知</h1>"
      "<p onclick=\"alert(3)\">正文<style>p{}</style></p>");
  EXPECT_EQ(injected.title, "关于的通知");
  EXPECT_EQ(injected.content, "正文");
  for (const auto* s : {&injected.title, &injected.content}) {
    EXPECT_EQ(s->find("alert"), std::string::npos) << *s;
  }

  // libxml2 parses markup inside <title> (browsers take it as text); the script is dropped.
  EXPECT_EQ(parse_ok("<title><script>alert(1)</script>通知</title><p>正文</p>").title, "通知");
}

TEST(ParseHtml, SurvivesHostileMarkup) {
  // Deep nesting: libxml2 stops at its depth limit (256), and the page is refused rather
  // than imported in part; shallower nesting is read whole.
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div><span>";
  EXPECT_EQ(error_of("<title>深层嵌套</title><p>前文</p>" + deep + "深处的文字"),
            "the HTML parser stopped early: Excessive depth in document: 256");
  std::string nested;
  for (int i = 0; i < 120; ++i) nested += "<div><span>";
  EXPECT_EQ(parse_ok("<title>嵌套</title>" + nested + "文字<p>后文</p>").content, "文字\n后文");

  // A huge attribute, broken tags, unclosed comments and stray end tags.
  auto big = parse_ok("<title>属性</title><p data-x=\"" + std::string(4 * 1024 * 1024, 'a') +
                      "\">正文</p>");
  EXPECT_EQ(big.content, "正文");
  auto broken = parse_ok(
      "<title>破损</title><p>一<b>二<i>三</p>四</b></i><div <p>五</div></td>"
      "</table><p>六<!-- 未闭合的注释");
  EXPECT_NE(broken.content.find("一二三"), std::string::npos) << broken.content;
  EXPECT_EQ(broken.content.find("未闭合"), std::string::npos) << broken.content;

  // Entity declarations are not expanded (no billion laughs).
  std::string laughs = "<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\">";
  for (char c = 'b'; c <= 'k'; ++c) {
    laughs += std::string("<!ENTITY ") + c + " \"" + std::string(10, '&') + "\">";
  }
  laughs += "]><title>实体</title><p>&k;&k;&k;</p>";
  const auto start = std::chrono::steady_clock::now();
  Parsed parsed = parse_html(laughs, "laughs.html");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  if (parsed.doc) {
    EXPECT_LT(parsed.doc->content.size(), laughs.size());
  }
}

TEST(ParseHtml, RefusesPagesWithNothingReadable) {
  for (std::string_view page :
       {std::string_view(""), std::string_view("   \n"), std::string_view("<html></html>"),
        std::string_view("<script>alert(1)</script><style>p{}</style><nav>首页</nav>"),
        std::string_view("<footer>版权所有</footer><p>&nbsp;\u3000</p><!-- 注释 -->")}) {
    EXPECT_NE(error_of(page).find("no readable text"), std::string::npos) << page;
  }
  EXPECT_EQ(error_of("<title>只有标题</title>"), "no text after the title");
  EXPECT_EQ(error_of("<p>只有一段</p>"), "no text after the title");
}

TEST(ParseHtml, RefusesOversizedFiles) {
  std::string page = "<title>大</title><p>" + std::string(kMaxDocumentBytes, 'x') + "</p>";
  EXPECT_EQ(error_of(page), "file exceeds 8 MiB");
}

}  // namespace
}  // namespace wenku::io
