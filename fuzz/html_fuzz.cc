// libFuzzer target for the HTML importer: any bytes either give a document that keeps the
// importers' promises (non-empty title and text, valid UTF-8, content in its normal form)
// or a reason, and never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/html.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wenku;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const io::Parsed parsed = io::parse_html(input, "fuzz.html");
  if (!parsed.doc) {
    require(!parsed.error.empty());
    return 0;
  }
  const doc::Document& d = *parsed.doc;
  require(d.id == "fuzz" && d.source == "fuzz.html");
  require(!d.title.empty() && text::is_valid_utf8(d.title) && d.title.find('\n') == d.title.npos);
  require(!d.content.empty() && text::is_valid_utf8(d.content));
  require(io::detail::normalize_paragraphs(d.content) == d.content);
  return 0;
}
