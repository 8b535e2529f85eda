// The one place that decides what a viewer may see of a document. Every output (pages,
// API, search snippets, related excerpts, exports, feeds) asks `visible` first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "doc/document.h"

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

struct Visible {
  bool exists = false;    // false: the viewer may not know the document at all (deleted)
  bool complete = false;  // true: `content` is the whole text
  std::string content;    // what this viewer may read (paragraphs joined by '\n')
};

// True when `viewer` may know that a document with this `deleted` flag exists: the `exists`
// answer of `visible`, for callers that decide from a store::DocStamp before reading the text.
bool may_know(bool deleted, const Viewer& viewer);

// True when `viewer` reads the whole text of a document of `visibility` under `policy`:
// 公开 texts for everyone; 登录可读 ones for members, VIPs and admins, and for guests when the
// policy opens texts to them; 会员专享 ones for VIPs and admins only.
bool reads_full_text(doc::Visibility visibility, const Viewer& viewer, const Policy& policy);

// Returns what `viewer` may see of `d` under `policy`: nothing of a soft-deleted document
// unless the viewer is an admin; the whole text when reads_full_text(d.visibility, …);
// otherwise the preview (the first `preview_chars` characters cut at a paragraph or sentence
// end by doc::preview, never inside a UTF-8 sequence).
Visible visible(const doc::Document& d, const Viewer& viewer, const Policy& policy);

// How many leading bytes of a document's text `visible` needs when the viewer does not read
// that document in full (reads_full_text is false for its visibility): given the text cut to
// at most this many bytes (back to a code point boundary), `visible` returns exactly what it
// returns for the whole text. SIZE_MAX (the whole text) for viewers who read 登录可读 texts;
// 4 × preview_chars + 4 for guests (the preview looks at its first preview_chars characters
// and one byte after them). Lets callers that show many documents (search hits, related
// lists) read no more of each text than that; a caller that finds the cut document readable
// in full (a 公开 text) reads it again whole.
std::size_t text_bytes_needed(const Viewer& viewer, const Policy& policy);

}  // namespace wenku::access
