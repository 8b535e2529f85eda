#include "access/visible.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::access {
namespace {

const Viewer kGuest{Role::kGuest, ""};
const Viewer kMember{Role::kMember, "lihua"};
const Viewer kAdmin{Role::kAdmin, "admin"};

doc::Document make_doc(std::string content, bool deleted = false) {
  doc::Document d;
  d.id = "d1";
  d.title = "关于加强基层治理的讲话";
  d.content = std::move(content);
  d.deleted = deleted;
  return d;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// What `readable` gives `viewer` of `d`, flattened for comparison.
struct View {
  bool exists = false;
  bool complete = false;
  std::string content;
};
View visible(const doc::Document& d, const Viewer& viewer, const Policy& policy) {
  auto r = readable(d, viewer, policy);
  if (!r) return {};
  return {true, r->complete(), r->text()};
}

// A guest's view with a preview of `chars` characters.
View guest_view(const std::string& content, std::size_t chars) {
  return visible(make_doc(content), kGuest, Policy{false, chars});
}

TEST(Visible, MembersAndAdminsReadTheWholeText) {
  const auto d = make_doc(repeat("同志们，今天的会议很重要。", 200));
  for (const auto& viewer : {kMember, kAdmin}) {
    auto v = visible(d, viewer, Policy{});
    EXPECT_TRUE(v.exists);
    EXPECT_TRUE(v.complete);
    EXPECT_EQ(v.content, d.content);
  }
}

TEST(Visible, PolicyCanOpenTheWholeTextToGuests) {
  const auto d = make_doc(repeat("同志们，今天的会议很重要。", 200));
  auto v = visible(d, kGuest, Policy{true, 10});
  EXPECT_TRUE(v.complete);
  EXPECT_EQ(v.content, d.content);
}

TEST(Visible, DeletedDocumentsExistOnlyForAdmins) {
  const auto d = make_doc("已删除的文档。", /*deleted=*/true);
  for (const auto& viewer : {kGuest, kMember}) {
    auto v = visible(d, viewer, Policy{true, 600});
    EXPECT_FALSE(v.exists);
    EXPECT_FALSE(v.complete);
    EXPECT_TRUE(v.content.empty());
  }
  auto admin = visible(d, kAdmin, Policy{});
  EXPECT_TRUE(admin.exists);
  EXPECT_EQ(admin.content, d.content);
}

TEST(Visible, GuestsSeeShortTextsWhole) {
  auto v = guest_view("一、总体要求\n坚持稳中求进。", 600);
  EXPECT_TRUE(v.exists);
  EXPECT_TRUE(v.complete);
  EXPECT_EQ(v.content, "一、总体要求\n坚持稳中求进。");
  // Exactly at the limit is still whole.
  EXPECT_TRUE(guest_view("一二三四五", 5).complete);
}

TEST(Visible, PreviewCutsBackToTheLastSentenceEndInTheLatterHalf) {
  // 10 + 1, then 4 + 1 characters: the sentence ends at 11 and 16 of a 20-character limit.
  const std::string text = "一二三四五六七八九十。甲乙丙丁！" + repeat("后", 30);
  auto v = guest_view(text, 20);
  EXPECT_TRUE(v.exists);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.content, "一二三四五六七八九十。甲乙丙丁！");
}

TEST(Visible, PreviewStopsAtAParagraphEnd) {
  const std::string text = "第一段的内容比较长，没有句号结束\n第二段" + repeat("很长", 30);
  auto v = guest_view(text, 25);
  EXPECT_EQ(v.content, "第一段的内容比较长，没有句号结束");
  // A limit that falls exactly on a paragraph end keeps the whole paragraph.
  EXPECT_EQ(guest_view("一二三。四五\n六七八九十", 6).content, "一二三。四五");
}

TEST(Visible, PreviewIgnoresSentenceEndsInTheFirstHalf) {
  const std::string text = "短句。" + repeat("长", 40);
  auto v = guest_view(text, 20);
  EXPECT_EQ(text::count_code_points(v.content), 20u);
  EXPECT_EQ(v.content, "短句。" + repeat("长", 17));
}

TEST(Visible, PreviewKeepsClosingQuotesWithTheirSentence) {
  const std::string text = "他说：“我们要坚持人民至上。”然后" + repeat("继续", 20);
  auto v = guest_view(text, 20);
  EXPECT_EQ(v.content, "他说：“我们要坚持人民至上。”");
}

TEST(Visible, PreviewNeverCutsInsideAUtf8Sequence) {
  // Mixed 1-, 3- and 4-byte characters without any sentence end.
  const std::string text = repeat("a中\U00020000", 50);
  for (std::size_t chars : {1u, 2u, 3u, 7u, 50u, 149u}) {
    auto v = guest_view(text, chars);
    EXPECT_TRUE(text::is_valid_utf8(v.content)) << chars;
    EXPECT_EQ(text::count_code_points(v.content), chars);
    EXPECT_TRUE(std::string_view(text).starts_with(v.content));
    EXPECT_FALSE(v.complete);
  }
}

TEST(Visible, ZeroPreviewShowsNothingOfALongText) {
  auto v = guest_view("内容。", 0);
  EXPECT_TRUE(v.exists);
  EXPECT_FALSE(v.complete);
  EXPECT_TRUE(v.content.empty());
}

// Real speeches: every preview is a prefix of at most 600 characters ending at a
// sentence or paragraph end (these texts have plenty of both).
TEST(Visible, PreviewsOfRealSpeechesEndAtSentenceOrParagraphEnds) {
  const auto dir = wenku::testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::ifstream in(dir / "xi_speeches_2020.jsonl");
  ASSERT_TRUE(in);
  int cut = 0;
  for (std::string line; std::getline(in, line);) {
    const auto content = nlohmann::json::parse(line).at("content").get<std::string>();
    auto v = guest_view(content, 600);
    ASSERT_TRUE(std::string_view(content).starts_with(v.content));
    const auto chars = text::count_code_points(v.content);
    EXPECT_LE(chars, 600u);
    if (v.complete) continue;
    ++cut;
    EXPECT_GE(chars, 300u);
    const char next = content[v.content.size()];
    const bool sentence_end = v.content.ends_with("。") || v.content.ends_with("！") ||
                              v.content.ends_with("？") || v.content.ends_with("；") ||
                              v.content.ends_with("”");
    EXPECT_TRUE(sentence_end || next == '\n') << v.content;
  }
  EXPECT_GT(cut, 20);
}

// `visible` of the text cut to text_bytes_needed (back to a code point) equals `visible` of
// the whole text, for every viewer: random texts heavy in 4-byte characters, boundaries and
// markup, and real speeches.
TEST(Visible, TheNeededOpeningGivesWhatTheWholeTextGives) {
  const std::vector<std::string> alphabet = {"𠀀", "𡈽", "中", "。", "，", "\n", "”", "<",
                                             ">",  "&",  ";",  "a",  "1",  " ",  "é"};
  std::vector<std::string> texts;
  std::mt19937 random(11);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const auto length = random() % 160;
    for (std::size_t c = 0; c < length; ++c) text += alphabet[random() % alphabet.size()];
    texts.push_back(std::move(text));
  }
  if (const auto dir = wenku::testing::corpus_dir(); !dir.empty()) {
    std::ifstream in(dir / "xi_speeches_2020.jsonl");
    for (std::string line; std::getline(in, line) && texts.size() < 3100;) {
      texts.push_back(nlohmann::json::parse(line).at("content").get<std::string>());
    }
  }
  int cut = 0;
  for (const auto& text : texts) {
    for (std::size_t chars : {0, 1, 2, 3, 7, 20, 41, 600}) {
      for (const auto& viewer : {kGuest, kMember}) {
        const Policy policy{false, chars};
        const auto needed = text_bytes_needed(viewer, policy);
        auto opening = make_doc(std::string(text::whole_code_points(
            std::string_view(text).substr(0, std::min(needed, text.size())))));
        cut += opening.content.size() < text.size() ? 1 : 0;
        const auto expected = visible(make_doc(text), viewer, policy);
        const auto actual = visible(opening, viewer, policy);
        ASSERT_EQ(actual.content, expected.content) << text << " / " << chars;
        ASSERT_EQ(actual.complete, expected.complete) << text << " / " << chars;
        ASSERT_EQ(actual.exists, expected.exists);
      }
    }
  }
  EXPECT_GT(cut, 10000);
  EXPECT_EQ(text_bytes_needed(kMember, Policy{}), std::numeric_limits<std::size_t>::max());
  EXPECT_EQ(text_bytes_needed(kGuest, Policy{true, 600}), std::numeric_limits<std::size_t>::max());
  EXPECT_EQ(text_bytes_needed(kGuest, Policy{false, std::numeric_limits<std::size_t>::max()}),
            std::numeric_limits<std::size_t>::max());
}

TEST(Readable, DescribesTheDocumentAndCountsWhollyReadableParagraphs) {
  doc::Document d = make_doc("第一段。\n第二段有任务。还有一句话。\n第三段。");
  d.category = "讲话稿";
  d.date = "2024-03-15";
  d.keywords = {"基层治理"};
  d.views = 7;
  d.visibility = doc::Visibility::kVip;
  d.analysis = R"({"title":"t","outline":[{"level":1,"text":"一、总体要求","para":2}],"tasks":[]})";
  const auto whole = readable(d, kAdmin, Policy{});
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->id(), "d1");
  EXPECT_EQ(whole->title(), d.title);
  EXPECT_EQ(whole->category(), "讲话稿");
  EXPECT_EQ(whole->date(), "2024-03-15");
  EXPECT_EQ(whole->keywords(), d.keywords);
  EXPECT_EQ(whole->views(), 7);
  EXPECT_EQ(whole->visibility(), doc::Visibility::kVip);
  ASSERT_EQ(whole->outline().size(), 1u);
  EXPECT_EQ(whole->outline()[0].text, "一、总体要求");
  EXPECT_EQ(whole->outline()[0].para, 2u);
  EXPECT_EQ(whole->whole_paragraphs(), 3u);
  // Cut at a paragraph end, inside a paragraph at a sentence end, and at the limit.
  const auto paragraphs = [&](std::size_t chars) {
    auto r = readable(d, kMember, Policy{false, chars});  // a 会员专享 text: members get a preview
    EXPECT_TRUE(r);
    EXPECT_FALSE(r->complete());
    return r->whole_paragraphs();
  };
  EXPECT_EQ(paragraphs(4), 1u);   // 第一段。
  EXPECT_EQ(paragraphs(13), 1u);  // 第一段。\n第二段有任务。
  EXPECT_EQ(paragraphs(20), 2u);  // up to the end of the second paragraph
  EXPECT_EQ(paragraphs(0), 0u);
}

// The overload that takes the text (search hits) answers exactly what the copying one does.
TEST(Readable, TakingTheTextGivesWhatCopyingGives) {
  std::size_t compared = 0;
  for (auto visibility :
       {doc::Visibility::kPublic, doc::Visibility::kMembers, doc::Visibility::kVip}) {
    for (bool deleted : {false, true}) {
      doc::Document d =
          make_doc(repeat("第一段有任务。\n", 3) + repeat("同志们，会议很重要。", 100), deleted);
      d.visibility = visibility;
      d.analysis =
          R"({"title":"t","outline":[{"level":1,"text":"一、总体要求","para":2}],"tasks":[]})";
      for (const auto& viewer : {kGuest, kMember, kAdmin}) {
        const auto copied = readable(d, viewer, Policy{false, 30});
        auto moved_from = d;
        const auto taken = readable(std::move(moved_from), viewer, Policy{false, 30});
        ASSERT_EQ(copied.has_value(), taken.has_value());
        if (!copied) continue;
        EXPECT_EQ(taken->text(), copied->text());
        EXPECT_EQ(taken->complete(), copied->complete());
        EXPECT_EQ(taken->whole_paragraphs(), copied->whole_paragraphs());
        EXPECT_EQ(taken->title(), copied->title());
        EXPECT_EQ(taken->outline().size(), copied->outline().size());
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 12u);  // deleted documents exist for admins only
}

// 新闻联播's lists of headlines: "headings" that are most of the text.
TEST(Readable, TheFreeOutlineShowsAtMostItsShareOfTheUnreadText) {
  doc::Document d;
  d.id = "xwlb";
  d.title = "新闻联播";
  nlohmann::json outline = nlohmann::json::array();
  for (int i = 0; i < 40; ++i) {
    const std::string headline =
        "第" + std::to_string(i + 1) + "条：国务院常务会议部署推进重点工作";
    outline.push_back({{"level", 1}, {"text", headline}, {"para", i}});
    d.content += headline + "\n";
  }
  d.content.pop_back();
  d.analysis = nlohmann::json{{"title", "t"}, {"outline", outline}}.dump();
  ASSERT_EQ(readable(d, kMember, Policy{})->outline().size(), 40u) << "members get it all";
  const auto guest = readable(d, kGuest, Policy{false, 60});
  ASSERT_TRUE(guest);
  ASSERT_FALSE(guest->complete());
  const std::size_t readable_paragraphs = guest->whole_paragraphs();
  ASSERT_GT(readable_paragraphs, 0u);
  std::size_t beyond = 0, beyond_bytes = 0;
  for (const auto& item : guest->outline()) {
    if (item.para < readable_paragraphs) continue;
    ++beyond;
    beyond_bytes += item.text.size();
  }
  EXPECT_GT(beyond, 0u) << "some headings beyond the preview are still free";
  EXPECT_LT(guest->outline().size(), 40u);
  EXPECT_LE(static_cast<double>(beyond_bytes),
            kFreeOutlineShare * static_cast<double>(d.content.size() - guest->text().size()));
}

TEST(Visible, MayKnowAgreesWithVisible) {
  for (bool deleted : {false, true}) {
    for (Role role : {Role::kGuest, Role::kMember, Role::kAdmin}) {
      doc::Document d;
      d.id = "x";
      d.title = "t";
      d.content = "正文。";
      d.deleted = deleted;
      const Viewer viewer{role, role == Role::kGuest ? "" : "u"};
      EXPECT_EQ(may_know(deleted, viewer), visible(d, viewer, Policy{}).exists);
    }
  }
  EXPECT_FALSE(may_know(true, Viewer{}));
  EXPECT_TRUE(may_know(true, Viewer{Role::kAdmin, "a"}));
}

}  // namespace
}  // namespace wenku::access
