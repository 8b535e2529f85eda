// The one place that decides what a viewer may see of a document. Every output (pages,
// API, search snippets, related excerpts, exports, feeds) asks `visible` first.
#pragma once

#include <cstddef>
#include <string>

#include "doc/document.h"

namespace wenku::access {

enum class Role { kGuest, kMember, kAdmin };

struct Viewer {
  Role role = Role::kGuest;
  std::string user;  // empty for guests
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

// Returns what `viewer` may see of `d` under `policy`: nothing of a soft-deleted document
// unless the viewer is an admin; the whole text for members, admins, or guests when the
// policy opens it; otherwise the guest preview (the first `preview_chars` characters cut at
// a paragraph or sentence end by doc::preview, never inside a UTF-8 sequence).
Visible visible(const doc::Document& d, const Viewer& viewer, const Policy& policy);

// How many leading bytes of a document's text `visible` needs: given a document whose
// content is the text cut to at most this many bytes (back to a code point boundary),
// `visible` returns exactly what it returns for the whole text. SIZE_MAX (the whole text)
// for viewers who read full texts; 4 × preview_chars + 4 for guests (the preview looks at
// its first preview_chars characters and one byte after them). Lets callers that show many
// documents (search hits, related lists) read no more of each text than that.
std::size_t text_bytes_needed(const Viewer& viewer, const Policy& policy);

}  // namespace wenku::access
