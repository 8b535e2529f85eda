// parse_docx: a Word .docx file -> a validated document (libzip reads the archive, pugixml
// the WordprocessingML parts).
#include "io/docx.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

constexpr const char* kDocumentPart = "word/document.xml";
constexpr const char* kCorePart = "docProps/core.xml";
constexpr std::size_t kMiB = 1024 * 1024;

// Why the file was refused; caught in parse_docx and turned into Parsed::error.
class DocxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A ZIP archive in memory, read-only, with the zip-bomb limits of docx.h enforced.
class Archive {
 public:
  explicit Archive(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      zip_.reset(zip_open_from_source(source, ZIP_RDONLY, &error));
      if (!zip_) zip_source_free(source);
    }
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (!zip_)
      throw DocxError(fmt::format("not a .docx file (not a readable ZIP archive: {})", reason));
    check_declared_sizes();
  }

  // The uncompressed bytes of entry `name` (matched case-insensitively, as OPC part names
  // are); nullopt when there is no such entry. Throws DocxError when the entry cannot be
  // read or inflates beyond the limits.
  std::optional<std::string> read(const char* name) {
    const zip_int64_t index = zip_name_locate(zip_.get(), name, ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    const std::unique_ptr<zip_file_t, CloseFile> file(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!file) {
      throw DocxError(
          fmt::format("cannot open {}: {}", name, zip_error_strerror(zip_get_error(zip_.get()))));
    }
    std::string out;
    std::vector<char> chunk(256 * 1024);
    zip_int64_t n;
    while ((n = zip_fread(file.get(), chunk.data(), chunk.size())) > 0) {
      inflated_ += static_cast<std::uint64_t>(n);
      if (out.size() + static_cast<std::size_t>(n) > kMaxDocxEntryBytes)
        throw entry_too_large(name);
      if (inflated_ > kMaxDocxTotalBytes) throw total_too_large();
      out.append(chunk.data(), static_cast<std::size_t>(n));
    }
    if (n < 0) {
      throw DocxError(
          fmt::format("damaged .docx: cannot read {}: {}", name, zip_file_strerror(file.get())));
    }
    return out;
  }

 private:
  struct Discard {
    void operator()(zip_t* z) const { zip_discard(z); }
  };
  struct CloseFile {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
  };

  static DocxError entry_too_large(std::string_view name) {
    return DocxError(fmt::format("refused: {} would unpack to more than {} MiB (a zip bomb?)", name,
                                 kMaxDocxEntryBytes / kMiB));
  }
  static DocxError total_too_large() {
    return DocxError(
        fmt::format("refused: the archive would unpack to more than {} MiB (a zip bomb?)",
                    kMaxDocxTotalBytes / kMiB));
  }

  // Refuses archives whose central directory declares oversized entries; read() also counts
  // the bytes actually inflated, since declared sizes can lie.
  void check_declared_sizes() {
    const zip_int64_t entries = zip_get_num_entries(zip_.get(), 0);
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < entries; ++i) {
      zip_stat_t stat;
      zip_stat_init(&stat);
      if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
          !(stat.valid & ZIP_STAT_SIZE)) {
        continue;  // an entry that cannot be described is refused if it is ever read
      }
      if (stat.size > kMaxDocxEntryBytes) {
        throw entry_too_large(stat.valid & ZIP_STAT_NAME ? stat.name : "an entry");
      }
      total += stat.size;
      if (total > kMaxDocxTotalBytes) throw total_too_large();
    }
  }

  std::unique_ptr<zip_t, Discard> zip_;
  std::uint64_t inflated_ = 0;  // bytes inflated by read() so far
};

// Parses an XML part. Throws DocxError for invalid XML or a DTD.
void load_xml(pugi::xml_document& xml, const std::string& bytes, std::string_view part) {
  // parse_ws_pcdata_single keeps <w:t xml:space="preserve"> </w:t>, a space between runs.
  const pugi::xml_parse_result result =
      xml.load_buffer(bytes.data(), bytes.size(),
                      pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_doctype,
                      pugi::encoding_auto);
  if (!result) {
    throw DocxError(
        fmt::format("invalid XML in {}: {} at byte {}", part, result.description(), result.offset));
  }
  for (const pugi::xml_node child : xml.children()) {
    if (child.type() == pugi::node_doctype) {
      throw DocxError(fmt::format("{} contains a DTD, which Office Open XML forbids", part));
    }
  }
}

// The element-name prefix ("w:", or "" for the default namespace) that the root element of
// `xml` binds to one of `namespaces`; nullopt when it binds none of them.
std::optional<std::string> prefix_for(const pugi::xml_node root,
                                      std::initializer_list<std::string_view> namespaces) {
  for (const pugi::xml_attribute attribute : root.attributes()) {
    const std::string_view name = attribute.name();
    if (name != "xmlns" && !name.starts_with("xmlns:")) continue;
    for (std::string_view ns : namespaces) {
      if (ns == attribute.value()) {
        return name == "xmlns" ? std::string() : std::string(name.substr(6)) + ":";
      }
    }
  }
  return std::nullopt;
}

// `s` with ASCII control characters as spaces (text of ours never holds them), trimmed.
std::string clean_line(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return std::string(text::trim(s));
}

// Collects the paragraphs of a WordprocessingML body, walking the tree without recursion
// (nesting depth is the file's to choose).
class BodyText {
 public:
  BodyText(const std::string& w, const std::optional<std::string>& mc)
      : p_(w + "p"),
        t_(w + "t"),
        tab_(w + "tab"),
        ptab_(w + "ptab"),
        br_(w + "br"),
        cr_(w + "cr"),
        tc_(w + "tc"),
        hyphen_(w + "noBreakHyphen"),
        del_(w + "del"),
        instr_(w + "instrText"),
        fallback_(mc ? *mc + "Fallback" : std::string()) {}

  // Returns the paragraphs under `root`. Throws DocxError when their text exceeds
  // kMaxDocumentBytes.
  std::vector<std::string> run(const pugi::xml_node root) {
    pugi::xml_node node = root.first_child();
    while (node) {
      const bool descend = enter(node);
      if (descend && node.first_child()) {
        node = node.first_child();
        continue;
      }
      if (descend) leave(node);
      while (!node.next_sibling() && node.parent() != root) {
        node = node.parent();
        leave(node);
      }
      node = node.next_sibling();
    }
    end_paragraph();
    return std::move(paragraphs_);
  }

 private:
  // Handles the start of `node`; true when its children are to be visited.
  bool enter(const pugi::xml_node node) {
    if (node.type() != pugi::node_element) return false;
    const std::string_view name = node.name();
    if (name == t_) {
      append(node.child_value());
    } else if (name == tab_ || name == ptab_) {
      append(" ");
    } else if (name == hyphen_) {
      append("-");
    } else if (name == br_ || name == cr_ || name == p_) {
      break_line();
      return name == p_;
    } else if (name == tc_) {
      end_paragraph();
      ++cell_depth_;
      return true;
    } else {
      return name != del_ && name != instr_ && name != fallback_;
    }
    return false;
  }

  // Handles the end of `node`, whose children (if any) have been visited.
  void leave(const pugi::xml_node node) {
    const std::string_view name = node.name();
    if (name == p_) {
      break_line();
    } else if (name == tc_) {
      end_paragraph();
      --cell_depth_;
    }
  }

  void append(std::string_view s) {
    bytes_ += s.size();
    if (bytes_ > kMaxDocumentBytes) throw DocxError(detail::too_large("text"));
    current_ += s;
  }

  // A paragraph or line boundary: a new paragraph, but only a space inside a table cell.
  void break_line() {
    if (cell_depth_ == 0) {
      end_paragraph();
    } else if (!current_.empty() && current_.back() != ' ') {
      current_ += ' ';
    }
  }

  void end_paragraph() {
    std::string line = clean_line(std::move(current_));
    if (!line.empty()) paragraphs_.push_back(std::move(line));
    current_.clear();
  }

  const std::string p_, t_, tab_, ptab_, br_, cr_, tc_, hyphen_, del_, instr_, fallback_;
  std::vector<std::string> paragraphs_;
  std::string current_;
  std::size_t bytes_ = 0;  // text appended so far
  int cell_depth_ = 0;
};

struct CoreProperties {
  std::string title;
  std::string date;  // YYYY-MM-DD or ""
};

// dc:title and the date of dcterms:created from docProps/core.xml; empty when it is
// missing or broken (it is optional metadata).
CoreProperties read_core(Archive& archive) {
  CoreProperties core;
  try {
    auto bytes = archive.read(kCorePart);
    if (!bytes) return core;
    pugi::xml_document xml;
    load_xml(xml, *bytes, kCorePart);
    const pugi::xml_node root = xml.document_element();
    const auto dc = prefix_for(root, {"http://purl.org/dc/elements/1.1/"});
    const auto dcterms = prefix_for(root, {"http://purl.org/dc/terms/"});
    if (dc) core.title = clean_line(root.child((*dc + "title").c_str()).child_value());
    if (dcterms) {
      std::string created = root.child((*dcterms + "created").c_str()).child_value();
      created.resize(std::min<std::size_t>(created.size(), 10));
      if (created.size() == 10 && detail::is_valid_date(created)) core.date = created;
    }
  } catch (const DocxError&) {
    return {};
  }
  return core;
}

doc::Document read_docx(std::string_view bytes, std::string_view file_name) {
  if (bytes.size() > kMaxDocxBytes) throw DocxError(detail::too_large("file", kMaxDocxBytes));
  // libzip opens an empty buffer as an empty archive.
  if (bytes.empty()) throw DocxError("not a .docx file: the file is empty");
  Archive archive(bytes);
  auto document = archive.read(kDocumentPart);
  if (!document) throw DocxError(fmt::format("not a Word document: {} is missing", kDocumentPart));

  pugi::xml_document xml;
  load_xml(xml, *document, kDocumentPart);
  document.reset();  // the parsed tree holds the text now
  const pugi::xml_node root = xml.document_element();
  const auto w = prefix_for(root, {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                   "http://purl.oclc.org/ooxml/wordprocessingml/main"});
  if (!w) throw DocxError(fmt::format("{} is not WordprocessingML", kDocumentPart));
  const auto mc = prefix_for(root, {"http://schemas.openxmlformats.org/markup-compatibility/2006"});
  std::vector<std::string> paragraphs = BodyText(*w, mc).run(root);
  if (paragraphs.empty()) throw DocxError("no text: the document is empty");

  CoreProperties core = read_core(archive);
  doc::Document d;
  d.title = std::move(core.title);
  d.date = std::move(core.date);
  // The title is the first paragraph when the properties have none, and when they repeat it
  // (Word files keep both; ours do): never twice.
  if (d.title.empty() || d.title == paragraphs.front()) {
    d.title = std::move(paragraphs.front());
    paragraphs.erase(paragraphs.begin());
  }
  if (paragraphs.empty()) throw DocxError("no text after the title");
  for (const auto& paragraph : paragraphs) {
    if (!d.content.empty()) d.content += '\n';
    d.content += paragraph;
  }
  if (auto error = detail::utf8_error(d.title)) throw DocxError("title: " + *error);
  if (auto error = detail::utf8_error(d.content)) throw DocxError("text: " + *error);
  d.id = detail::id_for_file(file_name);
  d.source = file_name;
  return d;
}

}  // namespace

Parsed parse_docx(std::string_view bytes, std::string_view file_name) {
  try {
    return Parsed{read_docx(bytes, file_name), {}};
  } catch (const DocxError& e) {
    return Parsed{std::nullopt, e.what()};
  }
}

}  // namespace wenku::io
