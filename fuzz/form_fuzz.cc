// libFuzzer target for the decoders of what a client sends: query strings and
// application/x-www-form-urlencoded bodies (web::form_of), the form reader of
// urlencoded and multipart/form-data bodies (web::read_form, restinio's multipart
// parser underneath), and the URL helpers (web/http/url.h). For any bytes nothing crashes or
// throws, and:
// - every name and value decoded is valid UTF-8, or the whole input is refused;
// - an uploaded file's name has no directory part, and its bytes lie inside the body;
// - encode_query_value gives unreserved characters and %XX only, and decoding it (as a path
//   segment, or as a form value) gives back the input when that is valid UTF-8 (refused
//   otherwise);
// - a decoded path segment encodes and decodes back to itself; links stay ASCII.
// The input is a Content-Type value, a newline, and the body read with it (seeds:
// fuzz/seeds/form_fuzz); the URL and form decoders read the whole input.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "require.h"
#include "text/utf8.h"
#include "web/http/forms.h"
#include "web/http/http.h"
#include "web/http/url.h"

namespace {

using namespace wenku;

// A connection that is never written to: read_form only reads the request.
class NoConnection final : public restinio::impl::connection_base_t {
 public:
  NoConnection() : connection_base_t(1) {}
  void write_response_parts(restinio::request_id_t, restinio::response_output_flags_t,
                            restinio::write_group_t) override {}
  void check_timeout(std::shared_ptr<restinio::tcp_connection_ctx_base_t>&) override {}
};

// A POST of `body` with Content-Type `content_type` (none when empty), as RESTinio hands
// it to a handler.
web::Request post(std::string_view content_type, std::string_view body) {
  restinio::http_request_header_t header(restinio::http_method_post(), "/admin/upload");
  if (!content_type.empty()) {
    header.set_field(restinio::http_field::content_type, std::string(content_type));
  }
  restinio::no_extra_data_factory_t extra;
  return std::make_shared<restinio::request_t>(1, std::move(header), std::string(body),
                                               std::make_shared<NoConnection>(),
                                               restinio::endpoint_t{}, extra);
}

// Every name and value of a decoded query is valid UTF-8; returns the number of pairs.
std::size_t check_query(const web::Query& query) {
  std::size_t pairs = 0;
  for (const auto& [name, value] : query) {
    REQUIRE(text::is_valid_utf8(name) && text::is_valid_utf8(value));
    ++pairs;
  }
  return pairs;
}

void check_read_form(std::string_view input) {
  // A header value never holds CR, LF or NUL (the HTTP parser refuses them).
  const auto newline = input.find('\n');
  std::string content_type(input.substr(0, newline));
  std::erase_if(content_type, [](char c) { return c == '\r' || c == '\0'; });
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const auto req = post(content_type, body);
  const auto form = web::read_form(req);
  if (!form) return;
  for (const auto& [name, value] : form->fields) {
    REQUIRE(text::is_valid_utf8(name) && text::is_valid_utf8(value));
  }
  const std::string& held = req->body();
  for (const auto& file : form->files) {
    REQUIRE(text::is_valid_utf8(file.field) && text::is_valid_utf8(file.name));
    REQUIRE(file.name.find_first_of("/\\") == std::string::npos);
    REQUIRE(file.bytes.empty() ||
            (file.bytes.data() >= held.data() &&
             file.bytes.data() + file.bytes.size() <= held.data() + held.size()));
  }
}

void check_url_helpers(std::string_view input) {
  const bool valid = text::is_valid_utf8(input);

  const std::string encoded = web::encode_query_value(input);
  std::size_t escapes = 0;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%') {
      REQUIRE(i + 2 < encoded.size());
      REQUIRE(std::string_view("0123456789ABCDEF").find(encoded[i + 1]) != std::string::npos);
      REQUIRE(std::string_view("0123456789ABCDEF").find(encoded[i + 2]) != std::string::npos);
      ++escapes;
      i += 2;
      continue;
    }
    REQUIRE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~');
  }
  REQUIRE(encoded.size() == input.size() + 2 * escapes);

  const auto as_segment = web::decode_path_segment(encoded);
  REQUIRE(as_segment.has_value() == valid);
  if (as_segment) REQUIRE(*as_segment == input);

  const auto as_form = web::form_of("v=" + encoded + "&w=" + encoded);
  REQUIRE(as_form.has_value() == valid);
  if (as_form) {
    REQUIRE(check_query(*as_form) == 2);
    REQUIRE(web::param(*as_form, "v") == text::trim(input));
    const auto w = as_form->get_param("w");
    REQUIRE(w && *w == input);
  }

  const std::string path = web::category_path(input);
  REQUIRE(path.starts_with("/category/"));
  REQUIRE(std::ranges::all_of(path, [](char c) { return c > ' ' && c < 0x7f; }));
  const auto label = web::decode_path_segment(std::string_view(path).substr(10));
  REQUIRE(label.has_value() == valid);
  if (label) REQUIRE(*label == web::category_label(input));

  REQUIRE(!web::site_base_url(input, "127.0.0.1:8080").ends_with('/'));

  // Whatever decodes, encodes and decodes back to itself.
  if (const auto decoded = web::decode_path_segment(input)) {
    REQUIRE(text::is_valid_utf8(*decoded));
    REQUIRE(web::decode_path_segment(web::encode_query_value(*decoded)) == decoded);
  }
  if (const auto query = web::form_of(input)) check_query(*query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_read_form(input);
  check_url_helpers(input);
  return 0;
}
