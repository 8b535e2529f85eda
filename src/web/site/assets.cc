#include "web/site/assets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "base/embedded.h"

namespace wenku::web {

namespace {

std::uint64_t fnv1a(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string_view content_type_of(std::string_view path) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& t : kTypes) {
    if (path.ends_with(t.extension)) return t.content_type;
  }
  return "application/octet-stream";
}

const std::vector<Asset>& assets() {
  static const std::vector<Asset> all = [] {
    std::vector<Asset> out;
    for (const auto& f : embedded::static_files()) {
      out.push_back(
          {f.path, f.data, content_type_of(f.path), fmt::format("\"{:016x}\"", fnv1a(f.data))});
    }
    return out;
  }();
  return all;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// ---- the icon ----

// A stroke of the icon: a line segment in units of the icon's side (0..1), and its width.
struct Stroke {
  double x0, y0, x1, y1, width;
};
// 文: the dot, the horizontal, the falling-left and the falling-right strokes.
constexpr Stroke kWenStrokes[] = {
    {0.50, 0.13, 0.55, 0.26, 0.11},
    {0.18, 0.33, 0.82, 0.33, 0.09},
    {0.68, 0.36, 0.20, 0.86, 0.10},
    {0.33, 0.38, 0.82, 0.86, 0.10},
};
constexpr std::array<std::uint8_t, 3> kBackground = {0xb3, 0x26, 0x1e};  // --accent, RGB
constexpr double kCornerRadius = 0.18;  // of the rounded square, in sides
constexpr int kSamples = 4;             // per pixel and axis, for smooth edges

double distance_to_segment(double x, double y, const Stroke& s) {
  const double dx = s.x1 - s.x0;
  const double dy = s.y1 - s.y0;
  const double t = std::clamp(((x - s.x0) * dx + (y - s.y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
  return std::hypot(x - (s.x0 + t * dx), y - (s.y0 + t * dy));
}

// True when point (x, y) (in sides) lies inside the rounded square.
bool in_square(double x, double y) {
  const double cx = std::clamp(x, kCornerRadius, 1 - kCornerRadius);
  const double cy = std::clamp(y, kCornerRadius, 1 - kCornerRadius);
  return std::hypot(x - cx, y - cy) <= kCornerRadius;
}

void put_u16(std::string& out, unsigned v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}
void put_u32(std::string& out, std::uint32_t v) {
  put_u16(out, v & 0xffff);
  put_u16(out, v >> 16);
}

// The icon at `side` pixels as an ICO image: a BITMAPINFOHEADER (height doubled, as ICO
// wants), BGRA rows bottom-up, then the 1-bit AND mask (all 0: the alpha channel decides).
std::string icon_bitmap(int side) {
  std::string out;
  put_u32(out, 40);
  put_u32(out, static_cast<std::uint32_t>(side));
  put_u32(out, static_cast<std::uint32_t>(side * 2));
  put_u16(out, 1);                              // planes
  put_u16(out, 32);                             // bits per pixel
  for (int i = 0; i < 6; ++i) put_u32(out, 0);  // BI_RGB, sizes and palette unused
  for (int row = side - 1; row >= 0; --row) {
    for (int col = 0; col < side; ++col) {
      int inside = 0;
      int ink = 0;
      for (int sy = 0; sy < kSamples; ++sy) {
        for (int sx = 0; sx < kSamples; ++sx) {
          const double x = (col + (sx + 0.5) / kSamples) / side;
          const double y = (row + (sy + 0.5) / kSamples) / side;
          if (!in_square(x, y)) continue;
          ++inside;
          if (std::ranges::any_of(kWenStrokes, [&](const Stroke& s) {
                return distance_to_segment(x, y, s) <= s.width / 2;
              })) {
            ++ink;
          }
        }
      }
      // White over the red by the share of ink; opaque by the share inside the square.
      const double white = inside == 0 ? 0 : static_cast<double>(ink) / inside;
      for (int channel = 2; channel >= 0; --channel) {  // B, G, R
        const double c = kBackground[static_cast<std::size_t>(channel)] * (1 - white) + 255 * white;
        out += static_cast<char>(static_cast<std::uint8_t>(std::lround(c)));
      }
      out += static_cast<char>(
          static_cast<std::uint8_t>(std::lround(255.0 * inside / (kSamples * kSamples))));
    }
  }
  const int mask_row_bytes = (side + 31) / 32 * 4;
  out.append(static_cast<std::size_t>(mask_row_bytes * side), '\0');
  return out;
}

std::string make_favicon() {
  constexpr int kSides[] = {16, 32};
  std::vector<std::string> images;
  for (int side : kSides) images.push_back(icon_bitmap(side));
  std::string out;
  put_u16(out, 0);  // reserved
  put_u16(out, 1);  // an icon
  put_u16(out, static_cast<unsigned>(images.size()));
  auto offset = static_cast<std::uint32_t>(6 + 16 * images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    out += static_cast<char>(kSides[i]);  // width
    out += static_cast<char>(kSides[i]);  // height
    out += '\0';                          // no palette
    out += '\0';                          // reserved
    put_u16(out, 1);                      // planes
    put_u16(out, 32);                     // bits per pixel
    put_u32(out, static_cast<std::uint32_t>(images[i].size()));
    put_u32(out, offset);
    offset += static_cast<std::uint32_t>(images[i].size());
  }
  for (const auto& image : images) out += image;
  return out;
}

}  // namespace

std::string_view favicon_ico() {
  static const std::string icon = make_favicon();
  return icon;
}

const Asset* find_asset(std::string_view path) {
  const auto& all = assets();
  auto it = std::find_if(all.begin(), all.end(), [&](const Asset& a) { return a.path == path; });
  return it == all.end() ? nullptr : &*it;
}

std::string asset_url(std::string_view path) {
  const Asset* asset = find_asset(path);
  if (asset == nullptr) throw std::logic_error(fmt::format("no embedded asset {}", path));
  std::string_view hash = asset->etag;
  hash = hash.substr(1, hash.size() - 2);  // strip the quotes
  return fmt::format("/static/{}?v={}", path, hash);
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    std::string_view candidate = trim_spaces(if_none_match.substr(0, comma));
    if (candidate == "*") return true;
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace wenku::web
