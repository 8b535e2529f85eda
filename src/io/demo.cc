// demo_documents: the original sample texts of demo/*.md, embedded at build time.
//
// The files are plain Markdown as parse_plain_text reads it (first line "# title", then
// one paragraph per line). What Markdown cannot carry is encoded in the file name:
//
//   demo/<category>--<date>--<slug>.md
//   e.g. demo/讲话稿--2024-03-15--anquan-shengchan.md
//        -> category 讲话稿, date 2024-03-15, id demo-anquan-shengchan
//
// <date> is YYYY-MM-DD, <slug> is made of [a-z0-9-]. The files ship inside the binary, so
// a file that breaks this convention is a programming error and throws std::logic_error.
#include <fmt/format.h>

#include <stdexcept>

#include "base/embedded.h"
#include "io/import.h"
#include "io/validate.h"

namespace wenku::io {
namespace {

constexpr std::string_view kSeparator = "--";
constexpr std::string_view kExtension = ".md";

struct DemoName {
  std::string_view category;
  std::string_view date;
  std::string_view slug;
};

DemoName split_name(std::string_view path) {
  auto fail = [path](std::string_view why) {
    return std::logic_error(fmt::format("demo text {}: {}", path, why));
  };
  if (!path.ends_with(kExtension)) throw fail("not a .md file");
  std::string_view stem = path.substr(0, path.size() - kExtension.size());
  auto first = stem.find(kSeparator);
  auto second =
      stem.find(kSeparator, first == std::string_view::npos ? 0 : first + kSeparator.size());
  if (second == std::string_view::npos) throw fail("name is not <category>--<date>--<slug>.md");
  DemoName name{stem.substr(0, first),
                stem.substr(first + kSeparator.size(), second - first - kSeparator.size()),
                stem.substr(second + kSeparator.size())};
  if (name.category.empty()) throw fail("empty category");
  if (name.date.size() != 10 || !detail::is_valid_date(name.date))
    throw fail("date is not YYYY-MM-DD");
  if (!detail::is_valid_id(name.slug)) throw fail("invalid slug");
  return name;
}

}  // namespace

std::vector<doc::Document> demo_documents() {
  std::vector<doc::Document> docs;
  for (const auto& file : embedded::demo_texts()) {
    const DemoName name = split_name(file.path);
    Parsed parsed = parse_plain_text(file.data, file.path);
    if (!parsed.doc)
      throw std::logic_error(fmt::format("demo text {}: {}", file.path, parsed.error));
    doc::Document& d = *parsed.doc;
    d.id = fmt::format("demo-{}", name.slug);
    d.category = name.category;
    d.date = name.date;
    d.source = fmt::format("wenku demo/{}", file.path);
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace wenku::io
