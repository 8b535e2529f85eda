#include "access/visible.h"

#include <limits>
#include <string_view>
#include <utility>

#include "doc/analysis.h"
#include "doc/preview.h"

namespace wenku::access {

bool may_know(bool deleted, const Viewer& viewer) {
  return !deleted || viewer.role == Role::kAdmin;
}

bool reads_full_text(doc::Visibility visibility, const Viewer& viewer, const Policy& policy) {
  switch (visibility) {
    case doc::Visibility::kPublic:
      return true;
    case doc::Visibility::kMembers:
      return viewer.role != Role::kGuest || policy.guests_read_full_text;
    case doc::Visibility::kVip:
      return viewer.role == Role::kVip || viewer.role == Role::kAdmin;
  }
  return false;
}

namespace {

// Drops the headings of `outline` beyond paragraph `readable_paragraphs` from the first one
// that would bring their bytes past kFreeOutlineShare of `unread_bytes`.
void limit_outline(std::vector<doc::OutlineItem>& outline, std::size_t readable_paragraphs,
                   std::size_t unread_bytes) {
  const auto budget =
      static_cast<std::size_t>(kFreeOutlineShare * static_cast<double>(unread_bytes));
  std::size_t spent = 0;
  for (auto it = outline.begin(); it != outline.end(); ++it) {
    if (it->para < readable_paragraphs) continue;
    spent += it->text.size();
    if (spent > budget) {
      outline.erase(it, outline.end());
      return;
    }
  }
}

}  // namespace

Readable Readable::describing(const doc::Document& d) {
  Readable r;
  r.about_.id = d.id;
  r.about_.title = d.title;
  r.about_.date = d.date;
  r.about_.category = d.category;
  r.about_.subcategory = d.subcategory;
  r.about_.source = d.source;
  r.about_.url = d.url;
  r.about_.keywords = d.keywords;
  r.about_.seq = d.seq;
  r.about_.views = d.views;
  r.about_.deleted = d.deleted;
  r.about_.visibility = d.visibility;
  r.about_.created_at = d.created_at;
  r.about_.updated_at = d.updated_at;
  r.about_.source_note = d.source_note;
  r.about_.title_derived = d.title_derived;
  if (!d.analysis.empty()) r.outline_ = doc::analysis_from_json(d.analysis).outline;
  return r;
}

void Readable::set_whole_text(std::string content) {
  whole_paragraphs_ = doc::paragraph_count(content);
  text_ = std::move(content);
  complete_ = true;
}

std::optional<Readable> readable(const doc::Document& d, const Viewer& viewer,
                                 const Policy& policy) {
  if (!may_know(d.deleted, viewer)) return std::nullopt;
  Readable r = Readable::describing(d);
  if (reads_full_text(d.visibility, viewer, policy)) {
    r.set_whole_text(d.content);
    return r;
  }
  const std::string_view shown = doc::preview(d, {policy.preview_chars});
  r.text_ = std::string(shown);
  r.complete_ = shown.size() == d.content.size();
  r.whole_paragraphs_ = doc::paragraph_count(shown);
  // The preview ends at a paragraph end or inside a paragraph (at a sentence end).
  const bool ends_paragraph = shown.ends_with('\n') || d.content[shown.size()] == '\n';
  if (!r.complete_ && !shown.empty() && !ends_paragraph) --r.whole_paragraphs_;
  if (!r.complete_) limit_outline(r.outline_, r.whole_paragraphs_, d.content.size() - shown.size());
  return r;
}

std::optional<Readable> readable(doc::Document&& d, const Viewer& viewer, const Policy& policy) {
  if (!may_know(d.deleted, viewer) || !reads_full_text(d.visibility, viewer, policy)) {
    return readable(std::as_const(d), viewer, policy);
  }
  Readable r = Readable::describing(d);
  r.set_whole_text(std::move(d.content));
  return r;
}

std::size_t text_bytes_needed(const Viewer& viewer, const Policy& policy) {
  constexpr std::size_t kMaxCodePointBytes = 4;
  if (reads_full_text(doc::Visibility::kMembers, viewer, policy) ||
      policy.preview_chars >= std::numeric_limits<std::size_t>::max() / kMaxCodePointBytes - 1) {
    return std::numeric_limits<std::size_t>::max();
  }
  // A cut text longer than the preview keeps at least preview_chars + 1 code points.
  return kMaxCodePointBytes * (policy.preview_chars + 1);
}

}  // namespace wenku::access
