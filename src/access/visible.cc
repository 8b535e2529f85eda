#include "access/visible.h"

#include <string_view>

#include "doc/preview.h"

namespace wenku::access {

bool may_know(bool deleted, const Viewer& viewer) {
  return !deleted || viewer.role == Role::kAdmin;
}

Visible visible(const doc::Document& d, const Viewer& viewer, const Policy& policy) {
  if (!may_know(d.deleted, viewer)) return Visible{};
  const bool full_text = viewer.role != Role::kGuest || policy.guests_read_full_text;
  const std::string_view shown =
      full_text ? std::string_view(d.content) : doc::preview(d, {policy.preview_chars});
  return Visible{true, shown.size() == d.content.size(), std::string(shown)};
}

}  // namespace wenku::access
