#include "web/site/qr.h"

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <qrencode.h>

namespace wenku::web {

std::string qr_svg(std::string_view text, int module_px) {
  if (text.empty()) throw std::invalid_argument("qr_svg: empty text");
  const std::string data(text);
  errno = 0;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(data.size()),
                        reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) {
    if (errno == ERANGE) throw std::invalid_argument("qr_svg: text too long for a QR code");
    throw std::runtime_error("qr_svg: libqrencode failed");
  }
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  path.reserve(static_cast<std::size_t>(width) * width * 4);
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each byte is the module's colour (1 = dark), per qrencode.h.
      if (code->data[y * width + x] & 1)
        path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
    }
  }
  const int px = size * module_px;
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{0}\" viewBox=\"0 0 {1} "
      "{1}\" "
      "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"二维码\">"
      "<rect width=\"{1}\" height=\"{1}\" fill=\"#fff\"/><path d=\"{2}\" fill=\"#000\"/></svg>",
      px, size, path);
}

}  // namespace wenku::web
