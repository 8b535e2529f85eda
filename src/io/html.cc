// parse_html: an HTML page -> a validated document (libxml2 parses, ICU decodes GBK pages).
#include "io/html.h"

#include <fmt/format.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// How far into the page a <meta> charset declaration is looked for.
constexpr std::size_t kCharsetScanBytes = 4096;

Parsed failure(std::string reason) { return Parsed{std::nullopt, std::move(reason)}; }

// The charset label of the first <meta> tag in `head` that names one (lower-cased), or "".
// Covers <meta charset="gbk"> and <meta http-equiv="Content-Type" content="…; charset=gbk">.
std::string declared_charset(std::string_view head) {
  const std::string lower = detail::ascii_lower(head);
  const std::string_view s(lower);
  for (std::size_t pos = s.find("<meta"); pos != std::string_view::npos;
       pos = s.find("<meta", pos + 1)) {
    std::string_view tag = s.substr(pos, s.find('>', pos) - pos);
    auto at = tag.find("charset");
    if (at == std::string_view::npos) continue;
    tag.remove_prefix(at + 7);
    tag.remove_prefix(std::min(tag.find_first_not_of(" \t\r\n"), tag.size()));
    if (!tag.starts_with('=')) continue;
    tag.remove_prefix(std::min(tag.find_first_not_of(" \t\r\n=\"'"), tag.size()));
    return std::string(tag.substr(0, tag.find_first_of(" \t\r\n\"';/>")));
  }
  return {};
}

// WHATWG Encoding labels of GBK and GB18030; GB18030 decodes all of them (it is a superset).
bool is_gb_charset(std::string_view label) {
  static constexpr std::array<std::string_view, 11> kLabels = {
      "chinese", "csgb2312",  "csiso58gb231280", "gb2312",  "gb_2312",  "gb_2312-80",
      "gbk",     "iso-ir-58", "x-gbk",           "gb18030", "x-gb18030"};
  return std::find(kLabels.begin(), kLabels.end(), label) != kLabels.end();
}

// `bytes` decoded from `charset` into UTF-8 by an ICU converter, each undecodable sequence
// becoming U+FFFD; nullopt when those make up more than a twentieth of the characters.
std::optional<std::string> decode(std::string_view bytes, const char* charset) {
  const icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), charset);
  if (u.isBogus()) return std::nullopt;
  const auto replaced = std::count(u.getBuffer(), u.getBuffer() + u.length(), char16_t{0xFFFD});
  if (replaced * 20 > u.countChar32()) return std::nullopt;
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Drops NUL and the C0 controls other than tab, LF, FF and CR: libxml2 stops at a NUL, and
// none of them is text. Byte-wise is safe in UTF-8, where bytes < 0x80 are always ASCII.
void drop_controls(std::string& s) {
  std::erase_if(s, [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r';
  });
}

// CJK characters (and their punctuation and full-width forms), between which a line break
// is no space (CSS Text Level 3, segment break transformation).
bool is_wide(char32_t cp) {
  return text::is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

// Accumulates text into trimmed paragraphs with whitespace collapsed as a browser shows it.
class Paragraphs {
 public:
  // Appends text (valid UTF-8). `preformatted`: each line feed ends the paragraph.
  void add_text(std::string_view s, bool preformatted) {
    for (std::size_t pos = 0; pos < s.size();) {
      const std::size_t start = pos;
      const char32_t cp = text::decode_at(s, pos);
      if (preformatted && cp == '\n') {
        end();
      } else if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0) {
        space_ = true;
        segment_break_ = segment_break_ || cp == '\n' || cp == '\r';
      } else {
        if (space_ && !current_.empty() && !(segment_break_ && is_wide(last_) && is_wide(cp))) {
          current_ += ' ';
        }
        current_.append(s.substr(start, pos - start));
        last_ = cp;
        space_ = segment_break_ = false;
      }
    }
  }

  // A line break that does not end the paragraph (a <br> in a heading).
  void add_line_break() { add_text("\n", false); }

  // Ends the current paragraph, keeping it when anything but spaces remains after trimming.
  void end() {
    const std::string_view trimmed = text::trim(current_);
    if (!trimmed.empty()) done_.emplace_back(trimmed);
    current_.clear();
    space_ = segment_break_ = false;
  }

  std::vector<std::string>& done() { return done_; }

 private:
  std::vector<std::string> done_;
  std::string current_;
  char32_t last_ = 0;           // last character appended to current_
  bool space_ = false;          // whitespace seen since then, not yet written
  bool segment_break_ = false;  // ... and it included a line break
};

// Removes the document type declaration at the start of `page` (after leading white space),
// an internal subset in [ ] included: libxml2's HTML parser does not know the subset and would
// keep its declarations as text of the body (]>, <!ENTITY …>).
void drop_doctype(std::string& page) {
  const std::size_t start = page.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || page.size() - start < 9) return;
  std::string head = page.substr(start, 9);
  for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (head != "<!DOCTYPE") return;
  const std::size_t close = page.find('>', start);
  const std::size_t open_subset = page.find('[', start);
  std::size_t end = close;
  if (open_subset != std::string::npos && open_subset < close) {
    const std::size_t subset_end = page.find("]>", open_subset);
    end = subset_end == std::string::npos ? std::string::npos : subset_end + 1;
  }
  page.erase(start, end == std::string::npos ? std::string::npos : end + 1 - start);
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_dropped(std::string_view name) {
  return is_one_of(name, {"script", "style", "noscript", "iframe", "nav", "header", "footer",
                          "template", "svg", "math", "object", "embed", "select", "button"});
}

bool is_heading(std::string_view name) {
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
}

bool is_block(std::string_view name) {
  return is_heading(name) ||
         is_one_of(name, {"p",       "div",     "li",         "td",     "th",         "tr",
                          "table",   "caption", "ul",         "ol",     "dl",         "dt",
                          "dd",      "pre",     "blockquote", "center", "section",    "article",
                          "aside",   "main",    "address",    "figure", "figcaption", "details",
                          "summary", "form",    "fieldset",   "legend", "hr",         "nav",
                          "header",  "footer",  "body",       "html",   "hgroup"});
}

// Walks a parsed page depth first without recursion (nesting depth is the attacker's).
class Extractor {
 public:
  void run(xmlNode* first) {
    xmlNode* node = first;
    while (node) {
      const bool descend = enter(node);
      if (descend && node->children) {
        node = node->children;
        continue;
      }
      if (descend) leave(node);
      while (!node->next && node->parent && node->parent->type == XML_ELEMENT_NODE) {
        node = node->parent;
        leave(node);
      }
      node = node->next;
    }
    body_.end();
    title_.end();
  }

  std::vector<std::string>& paragraphs() { return body_.done(); }
  const std::vector<std::string>& title_parts() { return title_.done(); }
  // Paragraphs [first, last) of the first <h1>; first == last when there is none.
  std::size_t h1_first() const { return h1_first_; }
  std::size_t h1_last() const { return h1_last_; }

 private:
  static std::string_view name_of(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
  }

  // Handles the start of `node`; true when its children are to be visited.
  bool enter(xmlNode* node) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      const std::string_view content =
          node->content ? reinterpret_cast<const char*>(node->content) : "";
      if (text::is_valid_utf8(content)) sink_->add_text(content, pre_depth_ > 0);
      return false;
    }
    if (node->type != XML_ELEMENT_NODE || !node->name) return false;
    const std::string_view name = name_of(node);
    if (name == "title") {
      if (title_node_) return false;
      title_node_ = node;
      sink_ = &title_;
      return true;
    }
    if (is_dropped(name)) {
      if (is_block(name)) sink_->end();
      return false;
    }
    if (name == "br") {
      if (heading_depth_ > 0) {
        sink_->add_line_break();
      } else {
        sink_->end();
      }
      return false;
    }
    if (is_block(name)) sink_->end();
    if (is_heading(name)) ++heading_depth_;
    if (name == "pre") ++pre_depth_;
    if (name == "h1" && !h1_node_) {
      h1_node_ = node;
      h1_first_ = body_.done().size();
    }
    return true;
  }

  // Handles the end of `node`, whose children (if any) have been visited.
  void leave(xmlNode* node) {
    if (node->type != XML_ELEMENT_NODE) return;
    const std::string_view name = name_of(node);
    if (node == title_node_) {
      sink_ = &body_;
      return;
    }
    if (is_block(name)) sink_->end();
    if (is_heading(name)) --heading_depth_;
    if (name == "pre") --pre_depth_;
    if (node == h1_node_) h1_last_ = body_.done().size();
  }

  Paragraphs body_;
  Paragraphs title_;
  Paragraphs* sink_ = &body_;
  const xmlNode* title_node_ = nullptr;
  const xmlNode* h1_node_ = nullptr;
  std::size_t h1_first_ = 0;
  std::size_t h1_last_ = 0;
  int heading_depth_ = 0;
  int pre_depth_ = 0;
};

struct FreeDoc {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct FreeContext {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

// parts[first, last) joined with `separator`.
std::string join(const std::vector<std::string>& parts, std::size_t first, std::size_t last,
                 std::string_view separator) {
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) out += separator;
    out += parts[i];
  }
  return out;
}

}  // namespace

Parsed parse_html(std::string_view bytes, std::string_view file_name) {
  if (bytes.size() > kMaxDocumentBytes) return failure(detail::too_large("file"));
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());

  std::string page;
  const bool gb = is_gb_charset(declared_charset(bytes.substr(0, kCharsetScanBytes)));
  if (gb || !text::is_valid_utf8(bytes)) {
    auto decoded = decode(bytes, gb ? "GB18030" : "UTF-8");
    if (!decoded) {
      return failure(gb ? "the page is not valid GBK/GB18030 text as its <meta charset> says"
                        : "the page is not UTF-8 text; declare its charset with <meta charset>");
    }
    page = std::move(*decoded);
  } else {
    page = bytes;
  }
  drop_controls(page);
  drop_doctype(page);

  static const bool initialized = (xmlInitParser(), true);
  (void)initialized;
  const std::unique_ptr<htmlParserCtxt, FreeContext> context(htmlNewParserCtxt());
  if (!context) return failure("out of memory");
  // The text is UTF-8 now, so the page's own charset declaration is ignored.
  const std::unique_ptr<xmlDoc, FreeDoc> doc(htmlCtxtReadMemory(
      context.get(), page.data(), static_cast<int>(page.size()), nullptr, "UTF-8",
      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
          HTML_PARSE_IGNORE_ENC));
  // Markup errors are recovered from, but the nesting-depth limit (256) stops the parser:
  // refuse the page rather than import part of it.
  if (const xmlError* error = xmlCtxtGetLastError(context.get());
      error && error->code == XML_ERR_INTERNAL_ERROR) {
    std::string_view message = error->message ? error->message : "internal error";
    message = text::trim(message.substr(0, message.find(" use XML_PARSE_HUGE")));
    return failure(fmt::format("the HTML parser stopped early: {}", message));
  }
  Extractor extractor;
  if (doc) extractor.run(doc->children);

  auto& paragraphs = extractor.paragraphs();
  const std::string page_title =
      join(extractor.title_parts(), 0, extractor.title_parts().size(), " ");
  const std::size_t h1_first = extractor.h1_first();
  const std::size_t h1_last = extractor.h1_last();
  const std::string h1 = join(paragraphs, h1_first, h1_last, " ");
  auto erase = [&paragraphs](std::size_t first, std::size_t last) {
    paragraphs.erase(paragraphs.begin() + static_cast<std::ptrdiff_t>(first),
                     paragraphs.begin() + static_cast<std::ptrdiff_t>(last));
  };

  doc::Document d;
  if (!h1.empty() && (page_title.empty() || page_title.find(h1) != std::string::npos)) {
    d.title = h1;
    erase(h1_first, h1_last);
  } else if (!page_title.empty()) {
    d.title = page_title;
    if (!paragraphs.empty() && paragraphs.front() == page_title) erase(0, 1);
  } else if (!paragraphs.empty()) {
    d.title = paragraphs.front();
    erase(0, 1);
  } else {
    return failure("no readable text in the page (scripts, styles and navigation are ignored)");
  }
  if (paragraphs.empty()) return failure("no text after the title");

  d.id = detail::id_for_file(file_name);
  d.source = file_name;
  d.content = join(paragraphs, 0, paragraphs.size(), "\n");
  if (d.content.size() > kMaxDocumentBytes) return failure(detail::too_large("text"));
  // libxml2 emits UTF-8; a last check keeps the importers' promise whatever it does.
  if (auto error = detail::utf8_error(d.title + "\n" + d.content)) return failure(*error);
  return Parsed{std::move(d), {}};
}

}  // namespace wenku::io
