#include "text/segmenter.h"

#include <unicode/uchar.h>

#include <xxhash.h>
#include <cppjieba/DictTrie.hpp>  // the HMM headers need its logging and MIN_DOUBLE
#include <cppjieba/HMMModel.hpp>
#include <cppjieba/HMMSegment.hpp>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "text/dictionary_path.h"
#include "text/utf8.h"

namespace wenku::text {

namespace fs = std::filesystem;

// Segmentation standard. cppjieba (dictionary DAG with the maximum-probability path, and its
// HMM for longer runs of unknown single characters, see kMinHmmRun) only ever sees runs of Han
// and other "text" characters; the rules below decide everything else, because cppjieba
// neither knows full-width digits and letters nor keeps numbers together with their units. The
// rules follow what the PKU and MSR bakeoff standards agree on: 1998年 / 12月 / 31日 / 8时 / 17％ /
// 1万亿 are one word each, a Latin or digit run is one word, and a measure word after a number
// stands alone (3 个), as the PKU standard has it.

namespace {

using cppjieba::RuneStrArray;
using RuneIt = RuneStrArray::const_iterator;

constexpr const char* kDictionary = "jieba.dict.utf8";
constexpr const char* kHmmModel = "hmm_model.utf8";
// User dictionaries, loaded in this order (a later entry for the same word wins).
constexpr const char* kUserDictionaries[] = {"user.dict.utf8", "gongwen.dict.utf8"};

// Shortest run of unknown single characters that goes to the HMM. Two stray single characters
// are nearly always two words (这 是, 更 大) and the HMM would glue them; three or more in a row
// are usually an unknown name or term (夏世清). Measured on PKU/MSR (bench/README.md): runs of
// 2 (cppjieba's MixSegment) give F1 0.837/0.834, runs of 3 give 0.852/0.844.
constexpr std::size_t kMinHmmRun = 3;

// Texts shorter than this are segmented every time by words_for_index, also while it
// remembers: hashing and locking would cost about as much as segmenting them.
constexpr std::size_t kMinRememberedText = 1024;

enum class CharClass { kSpace, kDigit, kLetter, kPunct, kText };

bool is_digit(char32_t cp) { return (cp >= U'0' && cp <= U'9') || (cp >= U'０' && cp <= U'９'); }

bool is_latin_letter(char32_t cp) {
  return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') || (cp >= U'ａ' && cp <= U'ｚ') ||
         (cp >= U'Ａ' && cp <= U'Ｚ');
}

CharClass classify(char32_t cp) {
  if (cp >= 0x4E00 && cp <= 0x9FFF) return CharClass::kText;  // fast path: CJK ideographs
  if (is_digit(cp)) return CharClass::kDigit;
  if (is_latin_letter(cp)) return CharClass::kLetter;
  if (u_isUWhiteSpace(cp) || u_iscntrl(cp)) return CharClass::kSpace;
  if (u_ispunct(cp) || (U_GET_GC_MASK(cp) & U_GC_S_MASK)) return CharClass::kPunct;
  return CharClass::kText;
}

bool is_alnum(char32_t cp) { return is_digit(cp) || is_latin_letter(cp); }

// Marks that stay inside a Latin/digit word when an alphanumeric follows: 3.5, www.gov.cn,
// ISO-9001, a_b@c.
bool is_word_connector(char32_t cp) {
  return cp == U'.' || cp == U'．' || cp == U'-' || cp == U'_' || cp == U'@' || cp == U'＠';
}

bool is_decimal_point(char32_t cp) { return cp == U'.' || cp == U'．'; }

// Magnitudes that stay with a number (1万亿) and units that end it (1998年, 17％).
bool is_magnitude(char32_t cp) { return cp == U'万' || cp == U'亿'; }

bool is_number_unit(char32_t cp) {
  switch (cp) {
    case U'年':
    case U'月':
    case U'日':
    case U'时':
    case U'分':
    case U'秒':
    case U'%':
    case U'％':
    case U'‰':
      return true;
    default:
      return false;
  }
}

// Returns the end of the Latin/digit word starting at `begin` (an alphanumeric), with the
// magnitude and unit suffixes of a number included.
RuneIt end_of_alnum_word(RuneIt begin, RuneIt end) {
  bool numeric = true;
  RuneIt it = begin;
  while (it != end) {
    if (is_alnum(it->rune)) {
      numeric = numeric && is_digit(it->rune);
    } else if (is_word_connector(it->rune) && it + 1 != end && is_alnum((it + 1)->rune)) {
      numeric = numeric && is_decimal_point(it->rune);
    } else {
      break;
    }
    ++it;
  }
  if (!numeric) return it;
  while (it != end && is_magnitude(it->rune)) ++it;
  if (it != end && is_number_unit(it->rune)) ++it;
  return it;
}

// Dashes and ellipses are written doubled (—— and ……) and form one mark.
bool is_doubled_mark(char32_t cp) { return cp == U'—' || cp == U'―' || cp == U'…' || cp == U'⋯'; }

// Returns the end of the punctuation token starting at `begin`: a run of one repeated dash or
// ellipsis character, any other mark alone.
RuneIt end_of_punctuation(RuneIt begin, RuneIt end) {
  RuneIt it = begin + 1;
  if (!is_doubled_mark(begin->rune)) return it;
  while (it != end && it->rune == begin->rune) ++it;
  return it;
}

fs::path executable_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

// Returns the path of `dir`/`name` as a string, throwing std::runtime_error when the file is
// absent: cppjieba would abort the process instead.
std::string existing_file(const fs::path& dir, const char* name) {
  auto file = dir / name;
  if (!fs::is_regular_file(file)) {
    throw std::runtime_error("segmenter dictionary missing: " + file.string());
  }
  return file.string();
}

// The user dictionaries, in the order they are loaded.
std::vector<fs::path> user_dictionary_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const char* name : kUserDictionaries) files.emplace_back(existing_file(dir, name));
  return files;
}

// One token of the segmentation: a view into the input, and whether it is punctuation.
struct Token {
  std::string_view text;
  bool punctuation;
};

}  // namespace

struct Segmenter::Impl {
  explicit Impl(const fs::path& dir)
      : model(existing_file(dir, kHmmModel)),
        dag(existing_file(dir, kDictionary), user_dictionary_files(dir)),
        hmm(&model) {}

  // Appends the words of the text run [begin, end) to `out`: the dictionary's most
  // probable path, with runs of unknown single characters handed to the HMM.
  void cut_text(RuneIt begin, RuneIt end, std::vector<cppjieba::WordRange>& out) const;

  // Returns the tokens of `text`, in a per-thread buffer that the next call on this thread
  // overwrites. Throws std::invalid_argument naming `caller` when `text` is not valid UTF-8.
  const std::vector<Token>& tokenize(std::string_view text, const char* caller) const;

  cppjieba::HMMModel model;
  DictionaryPath dag;
  cppjieba::HMMSegment hmm;

  // Remembered words_for_index results, keyed by the 128-bit XXH3 hash of the text (a
  // collision among even a billion texts has a probability below 1e-20).
  struct TextHash {
    std::size_t operator()(const XXH128_hash_t& h) const { return h.low64; }
  };
  struct TextEqual {
    bool operator()(const XXH128_hash_t& a, const XXH128_hash_t& b) const {
      return XXH128_isEqual(a, b);
    }
  };
  mutable std::mutex memo_mutex;
  std::unordered_map<XXH128_hash_t, std::string, TextHash, TextEqual> memo;
  std::size_t memo_bytes = 0;
  std::size_t memo_max_bytes = 0;
};

void Segmenter::Impl::cut_text(RuneIt begin, RuneIt end,
                               std::vector<cppjieba::WordRange>& out) const {
  thread_local std::vector<cppjieba::WordRange> words;
  words.clear();
  dag.cut(begin, end, words);
  auto unknown_single = [this](const cppjieba::WordRange& w) {
    return w.left == w.right && !dag.is_user_word_character(w.left->rune);
  };
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i;
    while (j < words.size() && unknown_single(words[j])) ++j;
    if (j == i) {
      out.push_back(words[i++]);
    } else if (j - i >= kMinHmmRun) {
      hmm.Cut(words[i].left, words[j - 1].left + 1, out);
      i = j;
    } else {
      out.insert(out.end(), words.begin() + i, words.begin() + j);
      i = j;
    }
  }
}

const std::vector<Token>& Segmenter::Impl::tokenize(std::string_view text,
                                                    const char* caller) const {
  if (auto bad = find_invalid_utf8(text)) {
    throw std::invalid_argument(std::string(caller) + ": invalid UTF-8 at byte " +
                                std::to_string(*bad));
  }
  // Per-thread scratch buffers: segmentation runs per paragraph, millions of times on import.
  thread_local RuneStrArray runes;
  thread_local std::vector<cppjieba::WordRange> ranges;
  thread_local std::vector<Token> out;
  out.clear();
  cppjieba::DecodeUTF8RunesInString(text.data(), text.size(), runes);
  auto emit = [&](RuneIt first, RuneIt last, bool punctuation) {  // [first, last] inclusive
    out.push_back(
        {text.substr(first->offset, last->offset + last->len - first->offset), punctuation});
  };
  const RuneIt end = runes.end();
  RuneIt it = runes.begin();
  while (it != end) {
    RuneIt next = it + 1;
    switch (classify(it->rune)) {
      case CharClass::kSpace:
        break;
      case CharClass::kDigit:
      case CharClass::kLetter:
        next = end_of_alnum_word(it, end);
        emit(it, next - 1, false);
        break;
      case CharClass::kPunct:
        next = end_of_punctuation(it, end);
        emit(it, next - 1, true);
        break;
      case CharClass::kText:
        while (next != end && classify(next->rune) == CharClass::kText) ++next;
        ranges.clear();
        cut_text(it, next, ranges);
        for (const auto& range : ranges) emit(range.left, range.right, false);
        break;
    }
    it = next;
  }
  return out;
}

Segmenter::Segmenter(const fs::path& dict_dir) : impl_(std::make_unique<Impl>(dict_dir)) {}

Segmenter::~Segmenter() = default;

std::vector<std::string_view> Segmenter::cut_views(std::string_view text) const {
  const auto& tokens = impl_->tokenize(text, "Segmenter::cut");
  std::vector<std::string_view> words;
  words.reserve(tokens.size());
  for (const auto& token : tokens) words.push_back(token.text);
  return words;
}

std::vector<std::string> Segmenter::cut(std::string_view text) const {
  auto views = cut_views(text);
  return {views.begin(), views.end()};
}

std::string Segmenter::words_for_index(std::string_view text) const {
  XXH128_hash_t hash{};
  const bool remembered = impl_->memo_max_bytes > 0 && text.size() >= kMinRememberedText;
  if (remembered) {
    hash = XXH3_128bits(text.data(), text.size());
    std::lock_guard lock(impl_->memo_mutex);
    if (auto it = impl_->memo.find(hash); it != impl_->memo.end()) return it->second;
  }
  const auto& tokens = impl_->tokenize(text, "Segmenter::words_for_index");
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const auto& token : tokens) {
    if (token.punctuation) continue;
    if (!out.empty()) out += ' ';
    out += token.text;
  }
  if (remembered) {
    std::lock_guard lock(impl_->memo_mutex);
    if (impl_->memo_bytes + out.size() <= impl_->memo_max_bytes &&
        impl_->memo.try_emplace(hash, out).second) {
      impl_->memo_bytes += out.size();
    }
  }
  return out;
}

void Segmenter::remember_words(std::size_t max_bytes) {
  std::lock_guard lock(impl_->memo_mutex);
  impl_->memo.clear();
  impl_->memo_bytes = 0;
  impl_->memo_max_bytes = max_bytes;
}

fs::path find_dict_dir(const fs::path& configured) {
  std::vector<fs::path> candidates;
  if (!configured.empty()) {
    candidates.push_back(configured);
  } else {
    if (const char* env = std::getenv("WENKU_DICT_DIR"); env && *env) candidates.emplace_back(env);
    if (auto exe_dir = executable_dir(); !exe_dir.empty()) {
      candidates.push_back(exe_dir / "dict");
      candidates.push_back(exe_dir / ".." / "share" / "wenku" / "dict");
    }
    candidates.emplace_back(WENKU_INSTALLED_DICT_DIR);
  }
  std::string tried;
  for (const auto& dir : candidates) {
    if (fs::is_regular_file(dir / "jieba.dict.utf8")) return dir;
    tried += "\n  " + dir.string();
  }
  throw std::runtime_error("no segmentation dictionary (jieba.dict.utf8) found; tried:" + tried +
                           "\nset --dict DIR or WENKU_DICT_DIR");
}

}  // namespace wenku::text
