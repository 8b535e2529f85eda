// Synthetic JSON Lines records for the tests that need a large import (backup while
// importing, crash tests): made at test time, each with a phrase no other record holds.
#pragma once

#include <nlohmann/json.hpp>

#include <random>
#include <string>

namespace wenku::testing {

// The Chinese digits of `n` in `width` places: 42, 3 -> 零肆贰.
inline std::string chinese_digits(int n, int width) {
  static const char* const kDigits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
  std::string out;
  for (int place = 0, divisor = 1; place < width; ++place, divisor *= 10) {
    out.insert(0, kDigits[(n / divisor) % 10]);
  }
  return out;
}

// The id of synthetic record `i`: "syn-00042".
inline std::string synthetic_id(int i) {
  std::string digits = std::to_string(i);
  return "syn-" + std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
}

// The phrase only version `version` of record `i` holds: 第壹轮编号零零零肆贰号.
inline std::string synthetic_tag(int i, int version) {
  return "第" + chinese_digits(version, 1) + "轮编号" + chinese_digits(i, 5) + "号";
}

// Record `i` in version `version` (0-9) as one JSON Lines line (with its newline): its tag,
// then four paragraphs of words drawn by a generator seeded with `i`.
inline std::string synthetic_record(int i, int version = 0) {
  static const char* const kWords[] = {
      "发展", "改革", "乡村", "振兴", "生态", "环境", "保护", "经济", "建设", "推进",
      "落实", "工作", "会议", "讲话", "加强", "创新", "产业", "民生", "安全", "治理",
      "基层", "党建", "教育", "医疗", "就业", "社会", "文化", "服务", "城市", "农业",
      "科技", "人才", "开放", "合作", "质量", "效益", "制度", "体系", "能力", "现代化"};
  constexpr int kWordCount = sizeof kWords / sizeof kWords[0];
  std::mt19937 random(static_cast<unsigned>(i));
  std::uniform_int_distribution<int> word(0, kWordCount - 1);
  std::string content = synthetic_tag(i, version) + "。";
  for (int paragraph = 0; paragraph < 4; ++paragraph) {
    content += '\n';
    for (int w = 0; w < 30; ++w) content += kWords[word(random)];
    content += "。";
  }
  const nlohmann::json record = {
      {"id", synthetic_id(i)},
      {"title", std::string("关于") + kWords[word(random)] + kWords[word(random)] + "工作的报告" +
                    std::to_string(i)},
      {"date", "2024-01-01"},
      {"category", "工作报告"},
      {"source", "synthetic"},
      {"content", content}};
  return record.dump() + "\n";
}

}  // namespace wenku::testing
