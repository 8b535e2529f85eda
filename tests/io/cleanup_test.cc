// io::clean_up: one test per rule, with the texts each rule must leave alone; the JSON Lines
// title_derived field; the clean-up at import and upload, and importing without it.
#include "io/cleanup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "io/import.h"
#include "io/upload.h"
#include "store/store.h"
#include "testing/kept_characters.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

doc::Document make(std::string title, std::string content, bool title_derived = false) {
  doc::Document d;
  d.id = "t";
  d.title = std::move(title);
  d.content = std::move(content);
  d.title_derived = title_derived;
  return d;
}

std::vector<std::string> paragraphs_of(const std::string& content) {
  std::vector<std::string> out;
  for (auto p : doc::paragraphs(content)) out.emplace_back(p);
  return out;
}

using testing::kept_characters;

// Cleans `d` and checks what every clean-up must hold: no character of the text lost (it is
// in the content or the note; with `old_title_kept`, the replaced title is there too), the
// content in normal form, and a second clean-up changing nothing.
CleanupResult clean_checked(doc::Document& d, bool old_title_kept = false) {
  const std::string before = d.content + d.source_note + (old_title_kept ? d.title : std::string());
  const CleanupResult result = clean_up(d);
  std::string after = d.content + d.source_note;
  if (const auto at = after.find("原标题："); old_title_kept && at != std::string::npos) {
    after.erase(at, std::string("原标题：").size());
  }
  EXPECT_EQ(kept_characters(before), kept_characters(after))
      << "characters lost or added: " << d.content << " | " << d.source_note;
  EXPECT_EQ(d.content.find("\n\n"), std::string::npos);
  EXPECT_FALSE(d.content.starts_with('\n') || d.content.ends_with('\n'));
  doc::Document again = d;
  const CleanupResult second = clean_up(again);
  EXPECT_FALSE(second.changed) << "not idempotent: " << again.content << " | " << again.title;
  EXPECT_EQ(again, d);
  return result;
}

// A speech of the people.cn shape: title line, date, speaker, salutation and text in one
// paragraph; the text long enough to be a flattened one.
const std::string kBody =
    "在全党开展主题教育，是党中央作出的重大决策。各级党组织有力推动，广大党员、干部积极投入，"
    "人民群众热情支持，整个主题教育特点鲜明、扎实紧凑，达到了预期目的，取得了重大成果。"
    "一是各级党组织深入学习实践新时代中国特色社会主义思想，提高了知信行合一能力。广大党员、干部"
    "带着责任、带着问题读原著学原文，深学细悟、研机析理，进一步打牢了思想根基，统一了思想认识。"
    "二是各级党组织和广大党员、干部思想政治受到洗礼和锤炼，增强了守初心、担使命的思想自觉和行动自觉"
    "。"
    "这次主题教育，既抓思想引导又抓行为规范，广大党员、干部政治意识、大局意识明显增强。"
    "三是各级党组织和广大党员、干部干事创业、担当作为的精气神得到提振，推动了改革发展稳定各项工作。"
    "广大党员、干部以刀刃向内的精神开展批评和自我批评，形成了奋发有为的良好氛围。"
    "同志们！这次主题教育，总结历次党内集中教育经验，对新时代开展党内集中教育进行了新探索。"
    "一、二季度以来，各地边学边改、立行立改。"
    "一、聚焦主题、紧扣主线。针对新时代党的建设任务和党内存在的突出问题，确立了主题，把学习贯彻"
    "新思想作为主线。二、以上率下、示范带动。中央政治局进行集体学习，开展专题民主生活会，为全党作了"
    "示范引导，各级党委（党组）主要负责同志认真履行第一责任人职责。各级指导组沉下去、"
    "督到位，推动主题教育落地见效。广大党员、干部深入基层、深入一线，积极回应群众关切，"
    "着力解决群众最急最忧最盼的问题，让群众切实感受到主题教育带来的新变化新气象。";

// ---- titles ------------------------------------------------------------------------------

TEST(CleanupTitle, ACutFirstLineIsReplacedByTheTextsTitleLine) {
  auto d = make("在主题教育总结大会上的讲话（2020年1月8日）习近平同志们：在全党开展主题…",
                "在主题教育总结大会上的讲话（2020年1月8日）习近平同志们：" + kBody, true);
  const auto result = clean_checked(d);
  EXPECT_TRUE(result.title_fixed);
  EXPECT_FALSE(result.title_derived);
  EXPECT_EQ(d.title, "在主题教育总结大会上的讲话");
  EXPECT_FALSE(d.title_derived);  // the text's own title, no longer derived
  EXPECT_EQ(d.source_note, "在主题教育总结大会上的讲话（2020年1月8日）\n习近平");
  const auto paras = paragraphs_of(d.content);
  ASSERT_GE(paras.size(), 2u);
  EXPECT_EQ(paras[0], "同志们：");
  EXPECT_TRUE(paras[1].starts_with("在全党开展主题教育"));
}

TEST(CleanupTitle, ASalutationTitleIsDerivedFromTheMeetingTheSpeechOpens) {
  auto d = make(
      "同志们：",
      "同志们：\n今天，我们召开科学家座谈会，听听大家的意见和建议。刚才，大家作了很好的发言。");
  const auto result = clean_checked(d);
  EXPECT_TRUE(result.title_derived);
  EXPECT_EQ(d.title, "在科学家座谈会上的讲话");
  EXPECT_TRUE(d.title_derived);
  EXPECT_EQ(paragraphs_of(d.content)[0], "同志们：");  // the salutation stays in the text
  EXPECT_EQ(d.source_note, "");
}

TEST(CleanupTitle, WithoutTitleLineOrOccasionTheFirstSentenceIsTheTitle) {
  auto d = make("尊敬的萨勒曼国王，各位同事：",
                "尊敬的萨勒曼国王，各位同事：\n大家好！很高兴出席今天的峰会。"
                "面对突如其来的疫情，我们应该直面挑战、迅速行动，共同维护世界经济稳定。");
  const auto result = clean_checked(d);
  EXPECT_TRUE(result.title_derived);
  EXPECT_EQ(d.title, "很高兴出席今天的峰会");  // 大家好！ is a greeting, not a title
  EXPECT_TRUE(d.title_derived);
}

TEST(CleanupTitle, ALongFirstSentenceIsCutAtACommaAndMarked) {
  auto d = make("尊敬的各位来宾：",
                "尊敬的各位来宾：\n在各方共同努力下，第三届中国国际进口博览会今天开幕了，这是一场全"
                "球贸易盛会，"
                "体现了同世界分享市场机遇、推动世界经济复苏的真诚愿望。");
  clean_checked(d);
  EXPECT_EQ(d.title, "在各方共同努力下，第三届中国国际进口博览会今天开幕了，这是一场全球贸易盛会…");
  EXPECT_LE(text::count_code_points(d.title), 41u);
}

TEST(CleanupTitle, ALetterIsTitledByItsAddresseeAndAGreetingByItsOccasion) {
  auto reply = make(
      "回信北京大学援鄂医疗队全体“90后”党员：",
      "回信北京大学援鄂医疗队全体“90后”党员：\n来信收悉。你们青年人英勇奋战，交出了合格答卷。");
  clean_checked(reply);
  EXPECT_EQ(reply.title, "给北京大学援鄂医疗队全体“90后”党员的回信");
  EXPECT_EQ(reply.source_note, "回信");
  EXPECT_EQ(paragraphs_of(reply.content)[0], "北京大学援鄂医疗队全体“90后”党员：");

  auto greeting = make("贺信值此哈尔滨工业大学建校100周年之际，我代表党中央…",
                       "贺信值此哈尔滨工业大学建校100周年之际，我代表党中央，向全校师生员工和校友"
                       "致以热烈的祝贺和诚挚的问候！");
  clean_checked(greeting);
  EXPECT_EQ(greeting.title, "致哈尔滨工业大学建校100周年的贺信");
  EXPECT_TRUE(greeting.title_derived);
}

TEST(CleanupTitle, AStarNoteNamesTheSpeechAnExcerptWasTakenFrom) {
  auto d = make("今天，中央政治局进行集体学习，学习内容是政治经济学…",
                "今天，中央政治局进行集体学习，学习内容是政治经济学。安排这次学习，目的是加强学习。"
                "※这是习近平总书记2015年11月23日在十八届中央政治局第二十八次集体学习时的讲话。");
  clean_checked(d);
  EXPECT_EQ(d.title, "在十八届中央政治局第二十八次集体学习时的讲话");
  EXPECT_TRUE(d.title_derived);
  EXPECT_EQ(d.source_note,
            "※这是习近平总书记2015年11月23日在十八届中央政治局第二十八次集体学习时的讲话。");
}

TEST(CleanupTitle, ATitleBeforeAStarredSpeakerIsTheTitleAndSectionNumeralsStandAlone) {
  auto d = make("全面提高依法防控能力※习近平一当前，疫情防控…",
                "全面提高依法防控能力※习近平一当前，疫情防控正处于关键时期，依法防控至关重要。"
                "（2020年2月5日在中央全面依法治国委员会第三次会议上的讲话）二确保人民群众生命安全"
                "和身体健康，是我们党治国理政的一项重大任务。" +
                    kBody,
                true);
  clean_checked(d);
  EXPECT_EQ(d.title, "全面提高依法防控能力");
  EXPECT_FALSE(d.title_derived);
  EXPECT_EQ(d.source_note, "全面提高依法防控能力\n※习近平");
  const auto paras = paragraphs_of(d.content);
  ASSERT_GE(paras.size(), 5u);
  EXPECT_EQ(paras[0], "一");
  EXPECT_TRUE(paras[1].starts_with("当前，疫情防控"));
  EXPECT_EQ(paras[2], "（2020年2月5日在中央全面依法治国委员会第三次会议上的讲话）");
  EXPECT_EQ(paras[3], "二");
  EXPECT_TRUE(paras[4].starts_with("确保人民群众"));
}

TEST(CleanupTitle, ATitleGluedToTheSpeakersNameEndsWhereTheNameIsKnownOrASalutationFollows) {
  // The name followed by a salutation.
  auto explanation = make("关于《决定》的说明习近平同志们：",
                          "关于《决定》的说明习近平同志们：\n受中央政治局委托，我就《决定》起草的有"
                          "关情况向全会作说明。");
  clean_checked(explanation);
  EXPECT_EQ(explanation.title, "关于《决定》的说明");
  EXPECT_EQ(explanation.source_note, "关于《决定》的说明\n习近平");
  EXPECT_EQ(paragraphs_of(explanation.content)[0], "同志们：");
  // A name the text gives after a position title elsewhere, followed by a date.
  auto article =
      make("构建起强大的公共卫生体系习近平2018年1月，我在…",
           "构建起强大的公共卫生体系习近平2018年1月，我在研讨班上列举了8个方面16个风险。\n"
           "2020年6月2日，中共中央总书记习近平在北京主持召开专家学者座谈会。");
  clean_checked(article);
  EXPECT_EQ(article.title, "构建起强大的公共卫生体系");
  EXPECT_EQ(article.source_note, "构建起强大的公共卫生体系\n习近平");
  EXPECT_TRUE(paragraphs_of(article.content)[0].starts_with("2018年1月，我在研讨班上"));
}

TEST(CleanupTitle, ADatelineTitleLeavesForTheNoteWithTheDateline) {
  auto d =
      make("新华社北京11月12日电在浦东开发开放30周年庆祝大会上的讲话（2020年11月12日）习…",
           "新华社北京11月12日电在浦东开发开放30周年庆祝大会上的讲话（2020年11月12日）"
           "习近平女士们，先生们，同志们：30年前，国际形势风云变幻。今天，我们在这里隆重集会。",
           true);
  clean_checked(d);
  EXPECT_EQ(d.title, "在浦东开发开放30周年庆祝大会上的讲话");
  EXPECT_EQ(d.source_note,
            "新华社北京11月12日电\n在浦东开发开放30周年庆祝大会上的讲话（2020年11月12日）\n习近平");
  EXPECT_EQ(paragraphs_of(d.content)[0], "女士们，先生们，同志们：");
}

TEST(CleanupTitle, AReplacedTitleTheTextLacksIsKept) {
  // An upload whose first line (its title) was the salutation: it goes back into the text.
  auto salutation = make("同志们：", "今天，我们召开企业家座谈会，听听大家的意见。");
  clean_checked(salutation, true);
  EXPECT_EQ(salutation.title, "在企业家座谈会上的讲话");
  EXPECT_EQ(paragraphs_of(salutation.content)[0], "同志们：");
  // Any other replaced title the text does not hold goes to the note.
  auto cut = make("一份被截断的标题…", "今天，我们召开企业家座谈会，听听大家的意见。");
  clean_checked(cut, true);
  EXPECT_EQ(cut.title, "在企业家座谈会上的讲话");
  EXPECT_EQ(cut.source_note, "原标题：一份被截断的标题…");
}

TEST(CleanupTitle, RealTitlesStay) {
  for (const auto& [title, content] : std::vector<std::pair<std::string, std::string>>{
           {"2026年北京市政府工作报告",
            "——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n北京市市长 殷勇\n各位代表：\n"
            "现在，我代表北京市人民政府，向大会报告政府工作，请予审议。"},
           {"巴基斯坦总理：期待进一步深化巴中交流合作",  // a colon, not a salutation
            "央视网消息（新闻联播）：在即将对中国进行正式访问之际，巴基斯坦总理接受了采访。"},
           {"中华人民共和国安全生产法",
            "第一章 总则\n第一条 为了加强安全生产工作，制定本法。\n"
            "第二条 在中华人民共和国领域内从事生产经营活动的单位，适用本法。"}}) {
    auto d = make(title, content);
    const auto result = clean_checked(d);
    EXPECT_FALSE(result.changed) << title;
    EXPECT_EQ(d.title, title);
    EXPECT_EQ(d.content, content);
  }
}

// ---- what leaves the text ----------------------------------------------------------------

TEST(CleanupNote, DatelinesAndNewspaperCreditsLeaveInTextOrder) {
  auto d = make("在二十国集团领导人特别峰会上的发言",
                "各位同事：\n大家好！\n谢谢大家。\n（新华社北京3月26日电）\n"
                "《 人民日报 》（ 2020年03月27日 02 版）");
  const auto result = clean_checked(d);
  EXPECT_EQ(d.content, "各位同事：\n大家好！\n谢谢大家。");
  EXPECT_EQ(d.source_note, "（新华社北京3月26日电）\n《 人民日报 》（ 2020年03月27日 02 版）");
  EXPECT_EQ(result.lines_moved, 2u);
  EXPECT_EQ(result.paragraphs_before, 5u);
  EXPECT_EQ(result.paragraphs_after, 3u);
}

TEST(CleanupNote, APhotoCaptionLeavesWithItsCreditFromTheSentenceThatOpensWithADate) {
  auto d = make(
      "在座谈会上的讲话",
      "同志们：\n脱贫攻坚取得了决定性进展。2020年3月6日，中共中央总书记习近平在北京出席座谈会。"
      "这是习近平在会上讲话。 新华社记者 鞠鹏/摄第一，创造了我国减贫史上最好成绩。");
  clean_checked(d);
  EXPECT_EQ(d.source_note,
            "2020年3月6日，中共中央总书记习近平在北京出席座谈会。这是习近平在会上讲话。 新华社记者 "
            "鞠鹏/摄");
  EXPECT_EQ(d.content, "同志们：\n脱贫攻坚取得了决定性进展。\n第一，创造了我国减贫史上最好成绩。");
}

TEST(CleanupNote, ARepeatedTitleLineWithDateAndSpeakerLeaves) {
  auto d = make("在二〇二四年春节团拜会上的讲话",
                "在二〇二四年春节团拜会上的讲话（2024年2月8日，上午）习近平\n"
                "2月8日，中共中央、国务院在北京举行团拜会。习近平发表讲话。同志们、朋友们：\n"
                "龙年春节即将到来。");
  clean_checked(d);
  EXPECT_EQ(d.title, "在二〇二四年春节团拜会上的讲话");
  EXPECT_EQ(d.source_note,
            "在二〇二四年春节团拜会上的讲话（2024年2月8日，上午）\n习近平\n"
            "2月8日，中共中央、国务院在北京举行团拜会。习近平发表讲话。");
  EXPECT_EQ(d.content, "同志们、朋友们：\n龙年春节即将到来。");
}

TEST(CleanupNote, AWireStorysLeadAndTheSpeakerWithTitlesLeave) {
  auto d =
      make("在金砖国家领导人第十五次会晤上的讲话",
           "当地时间8月23日上午，金砖国家领导人第十五次会晤举行。习近平发表重要讲话。\n"
           "新华社约翰内斯堡8月23日电团结协作谋发展——在金砖国家领导人第十五次会晤上的讲话"
           "（2023年8月23日，约翰内斯堡）中华人民共和国主席　习近平尊敬的拉马福萨总统，各位同事：\n"
           "很高兴来到约翰内斯堡。");
  clean_checked(d);
  EXPECT_EQ(d.source_note,
            "当地时间8月23日上午，金砖国家领导人第十五次会晤举行。习近平发表重要讲话。\n"
            "新华社约翰内斯堡8月23日电\n"
            "团结协作谋发展——在金砖国家领导人第十五次会晤上的讲话（2023年8月23日，约翰内斯堡）\n"
            "中华人民共和国主席　习近平");
  EXPECT_EQ(d.content, "尊敬的拉马福萨总统，各位同事：\n很高兴来到约翰内斯堡。");
}

TEST(CleanupNote, EditorAndSourceLinesLeave) {
  auto d = make("关于做好防汛工作的通知",
                "各地要做好防汛工作。（责任编辑：张三）\n来源：新华网\n编辑：李四");
  clean_checked(d);
  EXPECT_EQ(d.content, "各地要做好防汛工作。");
  EXPECT_EQ(d.source_note, "（责任编辑：张三）\n来源：新华网\n编辑：李四");
}

TEST(CleanupNote, ALettersSignatureStaysAndTheNewsStoryAfterItIsItsOwnParagraph) {
  const std::string letter =
      "回信乡亲们：你们好！来信收到了。60年前，你们响应党中央号召，积极投身修建密云水库大会战。"
      "60年来，你们为了保护水库，关工厂、关矿山，为首都生态环境改善作出了重要贡献。得知你们发挥"
      "好山好水的优势，日子越过越红火，我感到很高兴。保护生态环境功在当代、利在千秋。北京一万多平方"
      "公里的山区是首都重要的生态屏障和水源保护地，地位十分重要。我一直惦念着密云水库。当年修建密云"
      "水库"
      "是为了防洪防涝，现在它作为北京重要的地表饮用水源地、水资源战略储备基地，已成为无价之宝。希望"
      "你们再接再厉、善作善成，继续守护好密云水库，为建设美丽北京作出新的贡献。各级党委和政府要深入"
      "贯彻生态文明思想，把生态文明建设作为战略性任务来抓，坚持生态优先、绿色发展，加强生态涵养区建"
      "设，"
      "健全生态补偿机制，共同守护好祖国的绿水青山。希望乡亲们继续发扬艰苦奋斗精神，把家乡建设"
      "得更加美丽，让密云水库的水更清、山更绿，为首都人民造福。新时代的乡村振兴，离不开一代又一代"
      "人的接续奋斗。你们守护的不只是一座水库，更是首都的生命线，是子孙后代的幸福源泉。希望你们"
      "把守水护水的好传统传下去，带动更多年轻人投身家乡建设，在绿水青山中走出一条致富路。"
      "祝乡亲们身体健康、生活幸福！"
      "习近平2020年8月30日（新华社北京8月31日电）"
      "新华社北京8月31日电在密云水库建成60周年之际，习近平给建设和守护密云水库的乡亲们回信。"
      "《 人民日报 》（ 2020年09月01日 01 版）";
  auto d = make("回信乡亲们：你们好！来信收到了。60年前，你们响应党中央号召…", letter, true);
  const auto result = clean_checked(d);
  EXPECT_EQ(d.title, "给乡亲们的回信");
  EXPECT_TRUE(d.title_derived);
  EXPECT_TRUE(result.title_derived);
  EXPECT_EQ(d.source_note,
            "回信\n（新华社北京8月31日电）\n新华社北京8月31日电\n《 人民日报 》（ 2020年09月01日 "
            "01 版）");
  const auto paras = paragraphs_of(d.content);
  ASSERT_EQ(paras.size(), 5u);
  EXPECT_EQ(paras[0], "乡亲们：");
  EXPECT_TRUE(paras[1].starts_with("你们好！"));
  EXPECT_EQ(paras[2], "习近平");
  EXPECT_EQ(paras[3], "2020年8月30日");
  EXPECT_TRUE(paras[4].starts_with("在密云水库建成60周年之际"));
}

// ---- flattened paragraphs ----------------------------------------------------------------

TEST(CleanupSplit, AFlattenedSpeechSplitsAtItsSalutationMarkersAndVocatives) {
  auto d = make("在主题教育总结大会上的讲话", "同志们：" + kBody);
  const auto result = clean_checked(d);
  const auto paras = paragraphs_of(d.content);
  const std::vector<std::string> starts{"同志们：", "在全党开展",   "一是", "二是", "三是",
                                        "同志们！", "这次主题教育", "一、", "二、"};
  ASSERT_EQ(paras.size(), starts.size()) << d.content;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    EXPECT_TRUE(paras[i].starts_with(starts[i])) << i << ": " << paras[i];
  }
  EXPECT_EQ(result.paragraphs_before, 1u);
  EXPECT_EQ(result.paragraphs_after, starts.size());
}

TEST(CleanupSplit, OrdinalsQuestionsDashItemsAndIdeographicSpacesSplit) {
  std::string text =
      "下面，我讲3个问题。第一个问题：深刻认识脱贫攻坚取得的决定性进展。党的十八大以来，我们取得了"
      "成绩。"
      "第一，创造了我国减贫史上最好成绩。农村贫困人口大幅减少。第二，促进了贫困地区加快发展。"
      "——面对疫情，我们要践行人民至上、生命至上理念。——面对疫情，我们要加强团结、同舟共济。"
      "第二个问题：清醒把握困难挑战。脱贫攻坚面临的困难挑战依然巨大。"
      "　　（一）加强组织领导。脱贫攻坚是一场硬仗。　　（二）坚持目标标准。要做到两个确保。";
  while (text::count_code_points(text) < 700) text += "要扎扎实实把各项工作做好，确保取得实效。";
  auto d = make("在脱贫攻坚座谈会上的讲话", text);
  clean_checked(d);
  const auto paras = paragraphs_of(d.content);
  const std::vector<std::string> starts{"下面，", "第一个问题：", "第一，", "第二，", "——面对",
                                        "——面对", "第二个问题：", "（一）", "（二）"};
  ASSERT_EQ(paras.size(), starts.size()) << d.content;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    EXPECT_TRUE(paras[i].starts_with(starts[i])) << i << ": " << paras[i];
  }
}

// A heading copied with the one space that set it apart keeps its own line; a call on the
// audience with a comma after a sentence end opens a paragraph, and so does a list's first item
// after its lead-in's colon when the second item starts a sentence. Not split: a heading phrase
// with a comma before the space, a space after a marker alone, 同志们 inside a sentence, a
// name before 同志们, and a list within one sentence.
TEST(CleanupSplit, AHeadingEndedByASpaceAndACommaVocativeStandApart) {
  std::string text =
      "下面，我讲两点意见。一、充分肯定过去一年的成绩　过去一年，全市粮食总产量增长3.2%。"
      "二、扎实做好今年重点工作　今年要抓好以下工作。我们要把各项任务落到实处。"
      "同志们，做好今年工作意义重大。我们要感谢同志们，大家辛苦了。"
      "要抓好以下两项工作：一是稳定粮食生产。全年播种面积稳定。二是发展乡村产业。新建产业园3个。"
      "我们做了三件事：一是稳增长，二是促改革，三是惠民生。"
      "三、今年，我们要抓住机遇　乘势而上。四、　加强组织领导。张明同志们，也要参加。";
  while (text::count_code_points(text) < 700) text += "要坚持稳中求进工作总基调，推动高质量发展。";
  auto d = make("在全市工作会议上的讲话", text);
  clean_checked(d);
  const auto paras = paragraphs_of(d.content);
  const std::vector<std::string> starts{"下面，",
                                        "一、充分肯定过去一年的成绩",
                                        "过去一年，",
                                        "二、扎实做好今年重点工作",
                                        "今年要抓好",
                                        "同志们，做好",
                                        "一是稳定粮食生产。",
                                        "二是发展乡村产业。",
                                        "三、今年，我们要抓住机遇　乘势而上。",
                                        "四、"};
  ASSERT_EQ(paras.size(), starts.size()) << d.content;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    EXPECT_TRUE(paras[i].starts_with(starts[i])) << i << ": " << paras[i];
  }
  EXPECT_EQ(paras[1], "一、充分肯定过去一年的成绩");
  EXPECT_EQ(paras[3], "二、扎实做好今年重点工作");
  EXPECT_TRUE(paras[5].ends_with("我们要感谢同志们，大家辛苦了。要抓好以下两项工作：")) << paras[5];
  // A list within one sentence stays in it.
  EXPECT_TRUE(paras[7].ends_with("我们做了三件事：一是稳增长，二是促改革，三是惠民生。"))
      << paras[7];
  EXPECT_NE(paras[9].find("张明同志们，也要参加。"), std::string::npos) << paras[9];
}

TEST(CleanupSplit, MarkersWithinSentencesListsAndLoneMarkersStay) {
  // 一是 after a comma, 一、二季度, and 一、 with no 二、 anywhere: no split, however long.
  std::string text =
      "今年以来，我们做了三件事，一是稳增长，二是促改革，三是惠民生。一、二季度经济运行总体平稳，"
      "三、四季度还要加把劲。一、关于当前的经济形势我们要有清醒认识。";
  while (text::count_code_points(text) < 700) text += "要坚持稳中求进工作总基调，推动高质量发展。";
  auto d = make("在经济工作会议上的讲话", text);
  const auto result = clean_checked(d);
  EXPECT_FALSE(result.changed);
  EXPECT_EQ(d.content, text);
}

TEST(CleanupSplit, NormalTextsLawsAndNewsItemsStayAsTheyAre) {
  std::string long_paragraph = "各位代表：\n现在，我代表国务院向大会报告工作。";
  std::string report_paragraph;
  while (text::count_code_points(report_paragraph) < 1500) {
    report_paragraph += "一是稳就业。二是稳金融。三是稳外贸。";
  }
  std::string flat_law = "第一条 为了规范管理，制定本规则。";
  while (text::count_code_points(flat_law) < 2100) {
    flat_law += " 第二条 各单位应当遵守本规则。一、按时报告。二、如实记录。";
  }
  const std::string news =
      "央视网消息（新闻联播）：国家统计局今天公布，9月份制造业采购经理指数为49.8%。"
      "一是生产指数上升。二是新订单指数上升。";
  for (const std::string& content :
       {long_paragraph + "\n" + report_paragraph, "第一章 总则\n" + flat_law, news}) {
    auto d = make("标题", content);
    const auto result = clean_checked(d);
    EXPECT_FALSE(result.changed) << content.substr(0, 60);
    EXPECT_EQ(d.content, content);
  }
}

// ---- import and upload -------------------------------------------------------------------

TEST(CleanupJsonl, TheTitleDerivedFieldIsRead) {
  const std::string base =
      R"({"id":"a","title":"甲","date":"","category":"","source":"s","content":"正文")";
  EXPECT_TRUE(parse_jsonl_record(base + R"(,"title_derived":true})").doc->title_derived);
  EXPECT_FALSE(parse_jsonl_record(base + R"(,"title_derived":false})").doc->title_derived);
  EXPECT_FALSE(parse_jsonl_record(base + R"(,"title_derived":null})").doc->title_derived);
  EXPECT_FALSE(parse_jsonl_record(base + "}").doc->title_derived);
  const Parsed wrong = parse_jsonl_record(base + R"(,"title_derived":"yes"})");
  EXPECT_FALSE(wrong.doc);
  EXPECT_NE(wrong.error.find("title_derived"), std::string::npos) << wrong.error;
}

class CleanupImportTest : public ::testing::Test {
 protected:
  std::filesystem::path write_speeches() {
    const auto path = dir_.path() / "speeches.jsonl";
    testing::write_file(
        path,
        R"({"id":"s1","title":"同志们：","date":"2020-01-08","category":"讲话","source":"x","content":"同志们：\n今天，我们召开科学家座谈会，听听大家的意见。\n（新华社北京1月8日电）","title_derived":true})"
        "\n"
        R"({"id":"s2","title":"关于做好防汛工作的通知","date":"","category":"通知","source":"x","content":"各地要做好防汛工作。"})"
        "\n");
    return path;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::open_sqlite(dir_.path() / "wenku.db");
};

TEST_F(CleanupImportTest, ImportCleansAndReportsPerFileAndRawImportRestoresTheTextAsGiven) {
  const auto path = write_speeches();
  const ImportStats stats = import_files(*store_, {path});
  ASSERT_EQ(stats.files.size(), 1u);
  EXPECT_EQ(stats.files[0].file, path.string());
  const CleanupTally& tally = stats.files[0].cleanup;
  EXPECT_EQ(tally.documents, 2u);
  EXPECT_EQ(tally.changed, 1u);
  EXPECT_EQ(tally.titles_derived, 1u);
  EXPECT_EQ(tally.titles_fixed, 0u);
  EXPECT_EQ(tally.lines_moved, 1u);
  auto s1 = store_->get("s1");
  ASSERT_TRUE(s1);
  EXPECT_EQ(s1->title, "在科学家座谈会上的讲话");
  EXPECT_TRUE(s1->title_derived);
  EXPECT_EQ(s1->source_note, "（新华社北京1月8日电）");
  EXPECT_EQ(s1->content, "同志们：\n今天，我们召开科学家座谈会，听听大家的意见。");

  // Imported again without clean-up: the texts as given; and cleaned again: as before.
  ImportOptions raw;
  raw.clean = false;
  const ImportStats raw_stats = import_files(*store_, {path}, raw);
  EXPECT_EQ(raw_stats.files.at(0).cleanup.documents, 0u);
  s1 = store_->get("s1");
  EXPECT_EQ(s1->title, "同志们：");
  EXPECT_TRUE(s1->title_derived);  // as the record says
  EXPECT_EQ(s1->source_note, "");
  EXPECT_EQ(s1->content,
            "同志们：\n今天，我们召开科学家座谈会，听听大家的意见。\n（新华社北京1月8日电）");
  import_files(*store_, {path});
  EXPECT_EQ(store_->get("s1")->title, "在科学家座谈会上的讲话");
  EXPECT_EQ(store_->get("s1")->source_note, "（新华社北京1月8日电）");
}

TEST(CleanupUpload, UploadsAreCleanedUnlessAskedNotTo) {
  const std::string file = "同志们：\n今天，我们召开企业家座谈会，听听大家的意见。\n来源：新华网\n";
  const UploadResult cleaned = parse_upload("speech.txt", file);
  ASSERT_EQ(cleaned.documents.size(), 1u);
  EXPECT_EQ(cleaned.documents[0].title, "在企业家座谈会上的讲话");
  EXPECT_EQ(cleaned.documents[0].content, "同志们：\n今天，我们召开企业家座谈会，听听大家的意见。");
  EXPECT_EQ(cleaned.documents[0].source_note, "来源：新华网");
  EXPECT_EQ(cleaned.cleanup.titles_derived, 1u);

  UploadOptions as_given;
  as_given.clean = false;
  const UploadResult raw = parse_upload("speech.txt", file, as_given);
  ASSERT_EQ(raw.documents.size(), 1u);
  EXPECT_EQ(raw.documents[0].title, "同志们：");
  EXPECT_EQ(raw.documents[0].content, "今天，我们召开企业家座谈会，听听大家的意见。\n来源：新华网");
  EXPECT_EQ(raw.cleanup.documents, 0u);
}

}  // namespace
}  // namespace wenku::io
