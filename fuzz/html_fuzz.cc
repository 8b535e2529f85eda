// libFuzzer target for the HTML importer: any bytes either give a document that keeps the
// importers' promises (non-empty title and text, valid UTF-8, content in its normal form)
// or a reason, and never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "importer_promises.h"
#include "io/html.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wenku;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const io::Parsed parsed = io::parse_html(input, "fuzz.html");
  fuzz::check_importer_promises(parsed, "fuzz.html");
  return 0;
}
