#include "search/pinyin.h"

#include <string.h>  // memmem (a GNU extension)
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "text/utf8.h"

namespace wenku::search {

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_ascii_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The ASCII form of an ASCII or full-width letter or digit, lowercased; 0 for anything else.
char alnum_ascii(char32_t c) {
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<char>('0' + (c - 0xFF10));
  if (c >= 0xFF21 && c <= 0xFF3A) return static_cast<char>('a' + (c - 0xFF21));
  if (c >= 0xFF41 && c <= 0xFF5A) return static_cast<char>('a' + (c - 0xFF41));
  if (is_ascii_alnum(c)) return ascii_lower(static_cast<char>(c));
  return 0;
}

// True for a character of the Han script (ICU: also extensions B and later, compatibility
// ideographs and 〇), which text::is_han (the basic block and extension A) does not all cover.
bool in_han_script(char32_t c) {
  if (c < 0x2E80) return false;  // nothing below the CJK radicals is Han; saves the lookup
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN && U_SUCCESS(status);
}

}  // namespace

struct PinyinTable::Impl {
  std::unique_ptr<icu::Transliterator> transliterator;  // used under an exclusive lock only
  mutable std::shared_mutex mutex;
  // The syllable of every Han character met so far; "" when ICU gives no ASCII letters.
  std::unordered_map<char32_t, std::string> readings;

  // Asks ICU for the reading of `c` alone. Caller holds `mutex` exclusively.
  std::string read(char32_t c) {
    icu::UnicodeString s(static_cast<UChar32>(c));
    transliterator->transliterate(s);
    std::string utf8;
    s.toUTF8String(utf8);
    std::string syllable;
    for (char ch : utf8) {
      if (ch == ' ') continue;
      const char lower = ascii_lower(ch);
      if (lower < 'a' || lower > 'z') return {};  // no Latin reading (e.g. 々 comes back as is)
      syllable += lower;
    }
    return syllable;
  }

  // Appends the units of `input` to `out` (and whether each is a Han syllable to `han`, when
  // not null). With `missing` null, every Han character must be in `readings` already;
  // otherwise a character that is not is appended to `missing` (its unit left out) and the
  // caller calls again once they are read.
  void units(std::string_view input, std::vector<std::string>& out, std::vector<bool>* han,
             std::vector<char32_t>* missing) const {
    std::string run;  // the ASCII letter/digit run being read
    const auto end_run = [&] {
      if (run.empty()) return;
      out.push_back(std::exchange(run, {}));
      if (han != nullptr) han->push_back(false);
    };
    for (std::size_t i = 0; i < input.size();) {
      const std::optional<char32_t> decoded = text::decode_checked(input, i);
      if (!decoded) {  // an invalid byte (or NUL): skipped like punctuation
        ++i;
        end_run();
        continue;
      }
      const char32_t cp = *decoded;
      if (const char ascii = alnum_ascii(cp)) {
        run += ascii;
        continue;
      }
      end_run();
      if (!in_han_script(cp)) continue;
      const auto it = readings.find(cp);
      if (it == readings.end()) {
        if (missing != nullptr) missing->push_back(cp);
      } else if (!it->second.empty()) {
        out.push_back(it->second);
        if (han != nullptr) han->push_back(true);
      }
    }
    end_run();
  }
};

PinyinTable::PinyinTable() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->transliterator.reset(
      icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || impl_->transliterator == nullptr) {
    throw std::runtime_error(std::string("ICU cannot create the Han-Latin transliterator: ") +
                             u_errorName(status));
  }
}

PinyinTable::~PinyinTable() = default;

std::vector<std::string> PinyinTable::syllables(std::string_view text) const {
  return units(text, nullptr);
}

std::vector<std::string> PinyinTable::units(std::string_view text, std::vector<bool>* han) const {
  std::vector<std::string> out;
  std::vector<char32_t> missing;
  {
    std::shared_lock lock(impl_->mutex);
    impl_->units(text, out, han, &missing);
    if (missing.empty()) return out;
  }
  // Some characters are new: read them, then go over the text again.
  std::unique_lock lock(impl_->mutex);
  for (char32_t c : missing) {
    if (!impl_->readings.contains(c)) impl_->readings.emplace(c, impl_->read(c));
  }
  out.clear();
  if (han != nullptr) han->clear();
  impl_->units(text, out, han, nullptr);
  return out;
}

namespace {

// The lowercased letters and digits of `typed`, spaces and apostrophes dropped; "" when
// `typed` does not look like pinyin (PinyinTitles::looks_like_pinyin).
std::string pinyin_key(std::string_view typed) {
  constexpr std::size_t kMinLength = 2;
  constexpr std::size_t kMaxLength = 64;
  std::string key;
  bool letter = false;
  for (char c : typed) {
    if (c == ' ' || c == '\'') continue;
    if (!is_ascii_alnum(static_cast<unsigned char>(c)) || key.size() == kMaxLength) return {};
    const char lower = ascii_lower(c);
    letter = letter || (lower >= 'a' && lower <= 'z');
    key += lower;
  }
  if (!letter || key.size() < kMinLength) return {};
  return key;
}

void set_bit(std::vector<std::uint64_t>& bits, std::size_t i) {
  if ((i >> 6) >= bits.size()) bits.resize((i >> 6) + 1, 0);
  bits[i >> 6] |= std::uint64_t{1} << (i & 63);
}

bool test_bit(const std::vector<std::uint64_t>& bits, std::size_t i) {
  return (bits[i >> 6] >> (i & 63)) & 1;
}

std::size_t pair_index(char first, char second) {
  return static_cast<std::size_t>(static_cast<unsigned char>(first)) << 8 |
         static_cast<unsigned char>(second);
}

}  // namespace

void PinyinTitles::Buffer::add_unit(std::string_view unit) {
  set_bit(unit_starts, text.size());
  text += unit;
}

void PinyinTitles::Buffer::end_title() {
  text += '\n';
  title_begin.push_back(text.size());
}

void PinyinTitles::Buffer::finish() {
  unit_starts.resize(text.size() / 64 + 1, 0);
  start_pairs.assign(65536 / 64, 0);
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (is_unit_start(i)) set_bit(start_pairs, pair_index(text[i], text[i + 1]));
  }
}

bool PinyinTitles::Buffer::is_unit_start(std::size_t i) const { return test_bit(unit_starts, i); }

bool PinyinTitles::Buffer::may_start(std::string_view key) const {
  return key.size() < 2 || test_bit(start_pairs, pair_index(key[0], key[1]));
}

PinyinTitles::PinyinTitles(const PinyinTable& table, std::vector<std::string> titles)
    : titles_(std::move(titles)) {
  full_.title_begin.reserve(titles_.size() + 1);
  initials_.title_begin.reserve(titles_.size() + 1);
  full_.title_begin.push_back(0);
  initials_.title_begin.push_back(0);
  std::vector<bool> han;
  for (const std::string& title : titles_) {
    han.clear();
    const std::vector<std::string> units = table.units(title, &han);
    for (std::size_t i = 0; i < units.size(); ++i) {
      full_.add_unit(units[i]);
      // An ASCII unit (letters and digits as written) is its own initials: 5G网络 is 5gwl.
      initials_.add_unit(han[i] ? std::string_view(units[i]).substr(0, 1) : units[i]);
    }
    full_.end_title();
    initials_.end_title();
  }
  full_.finish();
  initials_.finish();
}

bool PinyinTitles::looks_like_pinyin(std::string_view typed) { return !pinyin_key(typed).empty(); }

std::vector<std::size_t> PinyinTitles::complete(std::string_view typed, std::size_t limit) const {
  const std::string key = pinyin_key(typed);
  if (key.empty() || limit == 0) return {};
  std::vector<std::size_t> full = scan(full_, key, limit);
  std::vector<std::size_t> initials = scan(initials_, key, limit);
  // Each holds the first `limit` titles matching by its rule, so together they hold the first
  // `limit` titles matching by either.
  std::vector<std::size_t> out;
  out.reserve(full.size() + initials.size());
  std::set_union(full.begin(), full.end(), initials.begin(), initials.end(),
                 std::back_inserter(out));
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<std::size_t> PinyinTitles::scan(const Buffer& buffer, std::string_view key,
                                            std::size_t limit) {
  std::vector<std::size_t> out;
  if (!buffer.may_start(key)) return out;  // e.g. the full pinyin for initials typed: zf...
  const char* const begin = buffer.text.data();
  const std::size_t size = buffer.text.size();
  std::size_t title = 0;
  std::size_t pos = 0;
  while (pos < size && out.size() < limit) {
    const void* hit = memmem(begin + pos, size - pos, key.data(), key.size());
    if (hit == nullptr) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - begin);
    // Only the start is checked. A match of the initials buffer covers at least two units:
    // the key has two characters or more and a Han character's initial is one; or else it
    // lies within an ASCII unit, which is the same in both buffers, so rule (a) holds too.
    if (!buffer.is_unit_start(at)) {
      pos = at + 1;
      continue;
    }
    // The title holding `at`: the last one beginning at or before it.
    title = static_cast<std::size_t>(
        std::upper_bound(buffer.title_begin.begin() + static_cast<std::ptrdiff_t>(title),
                         buffer.title_begin.end(), at) -
        buffer.title_begin.begin() - 1);
    out.push_back(title);
    pos = buffer.title_begin[title + 1];  // each title once
  }
  return out;
}

}  // namespace wenku::search
