// The document model shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::doc {

// Who may read a document's whole text (the admin sets it per document).
enum class Visibility {
  kPublic,   // 公开: everyone, guests included
  kMembers,  // 登录可读: logged-in members (the default)
  kVip,      // 会员专享: VIP members and admins
};

// "public", "members", "vip" and back (nullopt for other names).
std::string_view visibility_name(Visibility visibility);
std::optional<Visibility> parse_visibility(std::string_view name);

// One model text. `content` holds paragraphs joined by '\n' (no empty paragraphs) and is
// never altered after import: normalisation happens only on derived keys.
struct Document {
  std::string id;  // stable id: the source `id` for JSON Lines, else a generated slug
  std::string title;
  std::string date;         // "YYYY-MM-DD", "YYYY" or "" when unknown
  std::string category;     // genre label, e.g. 政府工作报告; "" means 未分类
  std::string subcategory;  // optional, e.g. a law's province
  std::string source;       // provenance (file, upload, source repository)
  std::string url;          // optional original address
  std::string content;      // paragraphs joined by '\n'
  // What io::clean_up moved out of the text at import (datelines, title, date and speaker
  // lines repeated before the text, photo captions, 来源/编辑 lines …): lines joined by '\n'
  // in text order; "" when none. Metadata, shown apart from the text (来源说明).
  std::string source_note;
  // True when the title is not the text's own but was derived from the text (by the source,
  // or by io::clean_up from a note or the first sentence); pages mark it.
  bool title_derived = false;

  // Derived from the text at import (app::Enricher), stored with the document.
  std::vector<std::string> keywords;  // top keywords, best first
  std::uint64_t simhash = 0;          // 64-bit SimHash over word shingles; 0: not computed
  // JSON of doc::analysis_to_json with the keywords left out (they are `keywords`); "" when
  // not analysed.
  std::string analysis;

  // Maintained by the store; ignored on write.
  std::int64_t seq = 0;    // change sequence number of the latest write
  std::int64_t views = 0;  // total view count
  bool deleted = false;    // soft-deleted documents are kept but never listed or indexed
  Visibility visibility = Visibility::kMembers;  // only Store::set_visibility changes it
  std::string created_at;                        // "YYYY-MM-DD HH:MM:SS" UTC, set on first insert
  std::string updated_at;                        // "YYYY-MM-DD HH:MM:SS" UTC, set on every write

  bool operator==(const Document&) const = default;
};

// A document without its text, for listings.
struct Summary {
  std::string id;
  std::string title;
  std::string date;
  std::string category;
  std::int64_t views = 0;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS" UTC
  std::string updated_at;  // "YYYY-MM-DD HH:MM:SS" UTC, last write
};

// Splits `content` into its paragraphs (on '\n'), dropping empty ones.
std::vector<std::string_view> paragraphs(std::string_view content);

// paragraphs(content).size(), without building the paragraphs.
std::size_t paragraph_count(std::string_view content);

// Returns the year of a `date` field ("2021-12-25" or "2021" -> 2021), or 0 when unknown.
int year_of(std::string_view date);

// Returns the summary of `d`.
Summary summarize(const Document& d);

}  // namespace wenku::doc
