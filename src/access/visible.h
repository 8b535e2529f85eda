// The one place that decides what a viewer may see of a document. Every output (pages,
// API, search snippets, related excerpts, exports, feeds) is made from what `readable` returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "doc/document.h"
#include "doc/outline.h"

namespace wenku::access {

// Guests read previews; members read texts 登录可读 (and 公开); VIP members also texts 会员专享;
// admins read everything, soft-deleted documents included.
enum class Role { kGuest, kMember, kVip, kAdmin };

struct Viewer {
  Role role = Role::kGuest;
  std::string user;          // account name; empty for guests
  std::int64_t user_id = 0;  // store::User::id; 0 for guests and operators (CLI)
};

// Site policy for gated documents.
struct Policy {
  bool guests_read_full_text = false;  // config flag that opens every text to guests
  std::size_t preview_chars = 600;     // guest preview length in characters
};

// The share of a text beyond what a reader may read that its outline may show (Readable::
// outline): headings are free, but a text whose "headings" are most of it (新闻联播's list
// of headlines, short rules numbered 一、二、…) would otherwise give itself away.
inline constexpr double kFreeOutlineShare = 0.05;

// A document as one viewer may see it: what describes it and the part of its text the viewer
// may read, never more. Only `readable` makes one, so everything built from a Readable (a
// page, an API answer, a snippet, an excerpt, an export) has passed the gate; pages, JSON
// writers and exports take a Readable, never a doc::Document. Cheap to move.
class Readable {
 public:
  const std::string& id() const { return about_.id; }
  const std::string& title() const { return about_.title; }
  const std::string& date() const { return about_.date; }
  const std::string& category() const { return about_.category; }
  const std::string& subcategory() const { return about_.subcategory; }
  const std::string& source() const { return about_.source; }
  const std::string& url() const { return about_.url; }
  const std::vector<std::string>& keywords() const { return about_.keywords; }
  std::int64_t seq() const { return about_.seq; }
  std::int64_t views() const { return about_.views; }
  bool deleted() const { return about_.deleted; }
  doc::Visibility visibility() const { return about_.visibility; }
  const std::string& created_at() const { return about_.created_at; }
  const std::string& updated_at() const { return about_.updated_at; }
  // Metadata for every viewer, never part of text(): what the import moved out of the text
  // (datelines, photo captions …; doc::Document::source_note), and whether the title was
  // derived from the text rather than given by it.
  const std::string& source_note() const { return about_.source_note; }
  bool title_derived() const { return about_.title_derived; }

  // The outline (提纲) of the whole text, free for every reader: headings only, each at most
  // 40 characters (doc::extract_outline), from the stored analysis; empty when not analysed.
  // For a reader of part of the text, the headings beyond whole_paragraphs() stop where they
  // would add up to more than kFreeOutlineShare of the unread text's bytes.
  const std::vector<doc::OutlineItem>& outline() const { return outline_; }

  // What the viewer may read: a prefix of the text (paragraphs joined by '\n'), the whole
  // text when `complete`.
  const std::string& text() const { return text_; }
  bool complete() const { return complete_; }
  // How many paragraphs of the whole text lie wholly inside text(): its paragraphs, less a
  // last one the preview cut at a sentence end.
  std::size_t whole_paragraphs() const { return whole_paragraphs_; }

 private:
  friend std::optional<Readable> readable(const doc::Document& d, const Viewer& viewer,
                                          const Policy& policy);
  friend std::optional<Readable> readable(doc::Document&& d, const Viewer& viewer,
                                          const Policy& policy);
  Readable() = default;
  // A Readable of `d` (its description and outline) without text yet.
  static Readable describing(const doc::Document& d);
  // Makes `content`, a whole text, the text of this Readable.
  void set_whole_text(std::string content);

  doc::Document about_;  // the document's description; `content` and `analysis` left empty
  std::vector<doc::OutlineItem> outline_;
  std::string text_;
  bool complete_ = false;
  std::size_t whole_paragraphs_ = 0;
};

// True when `viewer` may know that a document with this `deleted` flag exists: the answer of
// `readable` for callers that decide from a store::DocStamp before reading the text, and the
// rule every listing follows (the store's lists leave soft-deleted documents out).
bool may_know(bool deleted, const Viewer& viewer);

// True when `viewer` reads the whole text of a document of `visibility` under `policy`:
// 公开 texts for everyone; 登录可读 ones for members, VIPs and admins, and for guests when the
// policy opens texts to them; 会员专享 ones for VIPs and admins only.
bool reads_full_text(doc::Visibility visibility, const Viewer& viewer, const Policy& policy);

// What `viewer` may see of `d` under `policy`: nullopt for a soft-deleted document unless the
// viewer is an admin; the whole text when reads_full_text(d.visibility, …); otherwise the
// preview (the first `preview_chars` characters cut at a paragraph or sentence end by
// doc::preview, never inside a UTF-8 sequence). Throws std::runtime_error when `d.analysis`
// is malformed JSON.
std::optional<Readable> readable(const doc::Document& d, const Viewer& viewer,
                                 const Policy& policy);
// The same, taking the text of `d` instead of copying it when the viewer reads it whole (a
// search hit's text of 300 KB is not copied); `d` is left valid but unspecified.
std::optional<Readable> readable(doc::Document&& d, const Viewer& viewer, const Policy& policy);

// How many leading bytes of a document's text `readable` needs when the viewer does not read
// that document in full (reads_full_text is false for its visibility): given the text cut to
// at most this many bytes (back to a code point boundary), `readable` returns exactly what it
// returns for the whole text (whole_paragraphs aside). SIZE_MAX (the whole text) for viewers who
// read 登录可读 texts; 4 × preview_chars + 4 for guests (the preview looks at its first
// preview_chars characters and one byte after them). Lets callers that show many documents (search
// hits, related lists) read no more of each text than that; a caller that finds the cut document
// readable in full (a 公开 text) reads it again whole.
std::size_t text_bytes_needed(const Viewer& viewer, const Policy& policy);

}  // namespace wenku::access
