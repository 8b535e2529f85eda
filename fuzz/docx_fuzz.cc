// libFuzzer target for the .docx importer. Input starting with "PK" is taken as the archive
// itself (exercising libzip on broken ZIP data); any other input is packed into a valid
// archive as word/document.xml, and as docProps/core.xml what follows its first NUL byte
// (exercising the XML reading, which random archives would rarely reach; stored, not
// deflated, for speed). Either way the result is a document that keeps the importers'
// promises or a reason; and a document read is written again as a GB/T 9704 Word file
// (io::word_document) that reads back as the same title, date and paragraphs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "doc/outline.h"
#include "importer_promises.h"
#include "io/docx.h"
#include "io/validate.h"
#include "io/word.h"
#include "io/zip_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wenku;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string archive;
  if (input.starts_with("PK")) {
    archive = input;
  } else {
    const std::size_t nul = input.find('\0');
    const std::string document(input.substr(0, nul));
    const std::string core(nul == input.npos ? std::string_view() : input.substr(nul + 1));
    archive = testing::make_docx(document, core, /*store=*/true);
  }
  const io::Parsed parsed = io::parse_docx(archive, "fuzz.docx");
  const doc::Document* d = fuzz::check_importer_promises(parsed, "fuzz.docx");
  if (d == nullptr) return 0;
  fuzz::require(io::detail::is_valid_date(d->date) && (d->date.empty() || d->date.size() == 10));
  const auto outline = doc::extract_outline(*d);
  const io::Parsed again =
      io::parse_docx(io::word_document({d->title, d->date, d->content, outline}), "again.docx");
  fuzz::require(again.doc.has_value());
  fuzz::require(again.doc->title == d->title && again.doc->content == d->content &&
                again.doc->date == d->date);
  return 0;
}
