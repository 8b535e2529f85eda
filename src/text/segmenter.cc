#include "text/segmenter.h"

#include <unicode/uchar.h>
#include <unistd.h>

#include <cppjieba/Jieba.hpp>
#include <cstdlib>
#include <stdexcept>

#include "text/utf8.h"

namespace wenku::text {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDictFiles[] = {"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8",
                                      "idf.utf8", "stop_words.utf8"};

bool is_blank(std::string_view token) { return trim(token).empty(); }

// True when every code point of `token` is punctuation, a symbol or whitespace.
bool is_punctuation_only(std::string_view token) {
  std::size_t pos = 0;
  while (pos < token.size()) {
    char32_t cp = decode_at(token, pos);
    if (!u_ispunct(cp) && !u_isUWhiteSpace(cp) && !(U_GET_GC_MASK(cp) & U_GC_S_MASK)) return false;
  }
  return true;
}

fs::path executable_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

}  // namespace

struct Segmenter::Impl {
  explicit Impl(const fs::path& dir)
      : jieba((dir / "jieba.dict.utf8").string(), (dir / "hmm_model.utf8").string(),
              (dir / "user.dict.utf8").string(), (dir / "idf.utf8").string(),
              (dir / "stop_words.utf8").string()) {}
  cppjieba::Jieba jieba;
};

Segmenter::Segmenter(const fs::path& dict_dir) {
  // cppjieba aborts the process on a missing file; check first so callers get an exception.
  for (const char* name : kDictFiles) {
    if (!fs::is_regular_file(dict_dir / name)) {
      throw std::runtime_error("segmenter dictionary missing: " + (dict_dir / name).string());
    }
  }
  impl_ = std::make_unique<Impl>(dict_dir);
}

Segmenter::~Segmenter() = default;

std::vector<std::string> Segmenter::cut(std::string_view text) const {
  std::vector<std::string> words;
  impl_->jieba.Cut(std::string(text), words, true);
  std::erase_if(words, [](const std::string& w) { return is_blank(w); });
  return words;
}

std::string Segmenter::words_for_index(std::string_view text) const {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const auto& word : cut(text)) {
    if (is_punctuation_only(word)) continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
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
