// libFuzzer target for the text boundary: normalize_key, segment_words and Segmenter::cut on
// arbitrary bytes. Invalid UTF-8 must be rejected with text::InvalidUtf8 (never a crash, a
// hang or a sanitizer report); valid UTF-8 must keep normalize_key's contract (same number
// of code points, idempotent) and segment into words whose keys are folds of their surfaces.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/keywords.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/simhash.h"
#include "text/utf8.h"

namespace {

const wenku::text::Segmenter& segmenter() {
  static const wenku::text::Segmenter s(wenku::text::find_dict_dir(WENKU_FUZZ_DICT_DIR));
  return s;
}

// Stops the run with a finding when `ok` is false.
void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wenku::text;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const bool valid = is_valid_utf8(bytes);
  std::string key;
  try {
    key = normalize_key(bytes);
  } catch (const InvalidUtf8& e) {
    check(!valid && e.offset() < size);
    try {
      segment_words(segmenter(), bytes);
      check(false);  // must have thrown too
    } catch (const InvalidUtf8&) {
    }
    return 0;
  }
  check(valid);
  check(count_code_points(key) == count_code_points(bytes));
  check(normalize_key(key) == key);

  const auto words = segment_words(segmenter(), bytes);
  std::vector<std::string_view> keys;
  for (const auto& w : words) {
    check(!w.key.empty() && normalize_key(w.surface) == w.key);
    keys.push_back(w.key);
  }
  simhash(keys);
  segmenter().cut(bytes);
  return 0;
}
