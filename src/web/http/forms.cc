#include "web/http/forms.h"

#include <string>

#include "text/utf8.h"

namespace wenku::web {

namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// `authority` (host[:port]) lowercased, without an explicit default port.
std::string normal_authority(std::string_view authority) {
  std::string out = ascii_lower(text::trim(authority));
  for (std::string_view port : {":80", ":443"}) {
    if (out.ends_with(port)) out.resize(out.size() - port.size());
  }
  return out;
}

// The normalised host[:port] of absolute URL `url`; "" when it has none ("null", relative).
std::string authority_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  return normal_authority(rest);
}

}  // namespace

bool same_site(const Request& req, std::string_view base_url) {
  const auto& header = req->header();
  auto source = header.opt_value_of("Origin");
  if (!source) source = header.opt_value_of(restinio::http_field::referer);
  if (!source) return true;
  const std::string from = authority_of(*source);
  if (from.empty()) return false;
  const auto host = header.opt_value_of(restinio::http_field::host);
  if (host && from == normal_authority(*host)) return true;
  return !base_url.empty() && from == authority_of(base_url);
}

bool is_form_type(const Request& req) {
  const auto type = req->header().opt_value_of(restinio::http_field::content_type);
  if (!type) return false;
  const std::string value = ascii_lower(text::trim(*type));
  return value == kFormType || value.starts_with(std::string(kFormType) + ";");
}

}  // namespace wenku::web
