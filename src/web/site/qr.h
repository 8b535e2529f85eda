// QR codes (libqrencode) rendered as SVG, for the 分享 block and /qr/doc/{id}.svg.
#pragma once

#include <string>
#include <string_view>

namespace wenku::web {

// An SVG image (a complete <svg> element, no XML prolog) of the QR code of `text`, error
// correction level M, with a 4-module quiet zone, each module `module_px` pixels; dark
// modules are one <path> of unit squares. Throws std::invalid_argument when `text` is empty
// or too long for a QR code (> ~2300 bytes at level M), std::runtime_error when libqrencode
// fails otherwise.
std::string qr_svg(std::string_view text, int module_px = 4);

}  // namespace wenku::web
