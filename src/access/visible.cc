#include "access/visible.h"

#include <limits>
#include <string_view>

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

Visible visible(const doc::Document& d, const Viewer& viewer, const Policy& policy) {
  if (!may_know(d.deleted, viewer)) return Visible{};
  const bool full_text = reads_full_text(d.visibility, viewer, policy);
  const std::string_view shown =
      full_text ? std::string_view(d.content) : doc::preview(d, {policy.preview_chars});
  return Visible{true, shown.size() == d.content.size(), std::string(shown)};
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
