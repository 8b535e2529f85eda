// Title completion from pinyin, for the suggest API: a user who types 政府工作报告 as its full
// pinyin (zhengfugongzuobaogao), a prefix of it (zhengfugongzuob) or its initials (zfgzbg) is
// offered the titles that hold it.
//
// Readings come from ICU's "Han-Latin; Latin-ASCII" transliterator, one character at a time,
// with no context: a polyphonic character always gets the one reading ICU gives it alone
// (行 is xing, so 银行 is yinxing and not yinhang; 重 is zhong, so 重庆 is zhongqing), and ü
// becomes u (绿 is lu; the IME spelling lv finds nothing). Tones are dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::search {

// The toneless pinyin of Han characters, one character at a time. ICU is asked once per
// distinct character (about 10 µs each); the answer is cached. Thread-safe: syllables() may be
// called from several threads at once.
class PinyinTable {
 public:
  // Creates ICU's "Han-Latin; Latin-ASCII" transliterator (0.1 to 0.17 s the first time in a
  // process, while ICU compiles its rules; make one and share it). Throws std::runtime_error
  // when ICU cannot create it.
  PinyinTable();
  ~PinyinTable();
  PinyinTable(const PinyinTable&) = delete;
  PinyinTable& operator=(const PinyinTable&) = delete;

  // The units of valid UTF-8 `text`, in order: one lowercase ASCII syllable per Han character
  // ("zheng", "fu", ...); a run of ASCII letters and digits, kept lowercased as one unit
  // ("GDP2019" gives "gdp2019"), full-width letters and digits counting as their ASCII forms;
  // nothing for anything else (punctuation, spaces, other scripts, and a Han character ICU
  // has no Latin reading for), which also ends an ASCII run. Invalid bytes count as
  // "anything else".
  std::vector<std::string> syllables(std::string_view text) const;

 private:
  friend class PinyinTitles;
  // syllables(text); with `han` not null, also sets han[i] to whether unit i is the syllable of
  // a Han character (else an ASCII run).
  std::vector<std::string> units(std::string_view text, std::vector<bool>* han) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Titles searchable by what a user types in pinyin. Built once from titles in the caller's
// order of preference (e.g. most viewed first); immutable and thread-safe afterwards.
//
// Each title is kept as its units (PinyinTable::syllables) joined into one full-pinyin string
// and one initials string (a Han character's first letter, an ASCII unit whole), with the
// byte offsets where units start; the strings of all titles lie end to end in two buffers, so
// that complete() is one memmem scan per buffer plus a boundary check per hit, stopped once
// `limit` titles are found. On 23,000 titles of 20 characters (1.9 MB of buffers): 0.03 ms
// when the first matches come early, up to about 1 ms when a whole buffer must be read;
// building takes 0.06 to 0.1 s, most of it asking ICU for the 2,700 distinct characters.
// Units are adjacent when nothing but "anything else" (punctuation, spaces) lies between
// them: zhengfugongzuobaogao finds 《政府工作报告》 and also 政府、工作报告.
class PinyinTitles {
 public:
  // Reads the units of every title through `table`, which is not kept.
  PinyinTitles(const PinyinTable& table, std::vector<std::string> titles);

  // True when `typed` looks like pinyin input: spaces and apostrophes dropped, 2..64 ASCII
  // letters and digits (case-insensitive) of which at least one is a letter, and nothing
  // else. The digits let 2019nianzhengfu find 2019年政府…; digits alone are not pinyin.
  static bool looks_like_pinyin(std::string_view typed);

  // Indices (into the titles given) of the titles where `typed` (lowercased, spaces and
  // apostrophes dropped) matches, starting where a unit starts, either
  //  (a) the full pinyin of consecutive units, the last one possibly incomplete: zhengfu,
  //      zhengfugongzuob and gongzuobaogao find 政府工作报告, hengfu does not (it starts
  //      inside zheng), zh finds every title with a syllable starting with zh; or
  //  (b) the initials of at least 2 consecutive units: zfgzbg, zf and gzbg find 政府工作报告,
  //      2019nzf finds 2019年政府.
  // In the titles' order, each title once, at most `limit`. Empty when
  // !looks_like_pinyin(typed).
  std::vector<std::size_t> complete(std::string_view typed, std::size_t limit) const;

  // The titles given, in their order.
  std::size_t size() const { return titles_.size(); }
  const std::string& title(std::size_t i) const { return titles_[i]; }

 private:
  // The joined units of every title, each title's followed by '\n' so that no match spans two
  // titles, with a bit per byte set where a unit starts.
  struct Buffer {
    std::string text;
    std::vector<std::uint64_t> unit_starts;  // bit i set: a unit starts at text[i]
    std::vector<std::size_t> title_begin;    // title t is text[title_begin[t], title_begin[t+1])
    // Bit (a << 8 | b) set: some unit starts with the bytes a b (b maybe the next unit's or
    // '\n'). A key whose first two bytes are not among them cannot match, and the buffer need
    // not be scanned: initials typed never are, in the full pinyin (no syllable starts "zf").
    std::vector<std::uint64_t> start_pairs;

    void add_unit(std::string_view unit);
    void end_title();  // ends the title being added
    void finish();     // after the last title: sets start_pairs
    bool is_unit_start(std::size_t i) const;
    bool may_start(std::string_view key) const;
  };
  // The first `limit` titles of `buffer` where `key` occurs at the start of a unit, in order.
  static std::vector<std::size_t> scan(const Buffer& buffer, std::string_view key,
                                       std::size_t limit);

  std::vector<std::string> titles_;
  Buffer full_;
  Buffer initials_;
};

}  // namespace wenku::search
