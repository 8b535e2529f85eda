#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include "web/http/forms.h"

#include <string>

#include <restinio/helpers/http_field_parsers/content-disposition.hpp>
#include <restinio/helpers/multipart_body.hpp>

#include "text/utf8.h"

namespace wenku::web {

namespace {

// application/x-www-form-urlencoded encodes spaces as '+', which RESTinio's parser keeps
// literally; a literal '+' arrives as %2B, so turning every '+' into %20 is exact.
std::string plus_as_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '+') {
      out += "%20";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<Query> parse_query_text(std::string_view raw) {
  const std::string text = plus_as_space(raw);
  auto parsed = restinio::try_parse_query<restinio::parse_query_traits::relaxed>(text);
  if (!parsed) return std::nullopt;
  for (const auto& [name, value] : *parsed) {
    if (!text::is_valid_utf8(name) || !text::is_valid_utf8(value)) return std::nullopt;
  }
  return std::move(*parsed);
}

bool starts_with_caseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         restinio::impl::is_equal_caseless(s.substr(0, prefix.size()), prefix);
}

// The file name without a directory part (old browsers send a whole Windows path).
std::string base_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

struct PartDisposition {
  std::string name;
  std::optional<std::string> filename;  // set for file parts
};

// The Content-Disposition of a multipart/form-data part, or nullopt when it lacks one.
std::optional<PartDisposition> disposition_of(const restinio::multipart_body::parsed_part_t& part) {
  namespace hfp = restinio::http_field_parsers;
  const auto field = part.fields.opt_value_of(restinio::http_field::content_disposition);
  if (!field) return std::nullopt;
  const auto parsed = hfp::content_disposition_value_t::try_parse(*field);
  if (!parsed || !restinio::impl::is_equal_caseless(parsed->value, "form-data")) {
    return std::nullopt;
  }
  const auto name = hfp::find_first(parsed->parameters, "name");
  if (!name) return std::nullopt;
  PartDisposition disposition{std::string(*name), std::nullopt};
  // RFC 7578 4.2: file names come in `filename` (filename* is not to be used).
  if (const auto filename = hfp::find_first(parsed->parameters, "filename")) {
    disposition.filename = std::string(*filename);
  }
  return disposition;
}

std::optional<Form> read_multipart(const Request& req) {
  namespace mb = restinio::multipart_body;
  Form form;
  bool bad = false;
  const auto result = mb::enumerate_parts(
      *req,
      [&](mb::parsed_part_t part) {
        auto disposition = disposition_of(part);
        if (!disposition || !text::is_valid_utf8(disposition->name) ||
            !text::is_valid_utf8(disposition->filename ? *disposition->filename : part.body)) {
          bad = true;
          return mb::handling_result_t::terminate_enumeration;
        }
        if (!disposition->filename) {
          form.fields.emplace_back(std::move(disposition->name), std::string(part.body));
        } else if (!disposition->filename->empty() || !part.body.empty()) {
          // (A file input left empty still sends a part with an empty name and body.)
          form.files.push_back(
              {std::move(disposition->name), base_name(*disposition->filename), part.body});
        }
        return mb::handling_result_t::continue_enumeration;
      },
      "multipart", "form-data");
  if (!result || bad) return std::nullopt;
  return form;
}

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

std::optional<Query> query_of(const Request& req) {
  return parse_query_text(req->header().query());
}

std::optional<Query> form_of(std::string_view body) { return parse_query_text(body); }

std::string param(const Query& query, std::string_view name) {
  return std::string(text::trim(restinio::value_or(query, name, restinio::string_view_t{})));
}

std::string Form::value(std::string_view name) const {
  for (const auto& [key, v] : fields) {
    if (key == name) return std::string(text::trim(v));
  }
  return {};
}

std::vector<std::string> Form::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, v] : fields) {
    if (key == name) out.push_back(v);
  }
  return out;
}

std::optional<Form> read_form(const Request& req) {
  const auto type = req->header().opt_value_of(restinio::http_field::content_type);
  const std::string_view content_type = type ? std::string_view(*type) : std::string_view();
  if (starts_with_caseless(content_type, "multipart/form-data")) return read_multipart(req);
  if (!content_type.empty() &&
      !starts_with_caseless(content_type, "application/x-www-form-urlencoded")) {
    return std::nullopt;
  }
  const auto query = form_of(req->body());
  if (!query) return std::nullopt;
  Form form;
  for (const auto& [name, value] : *query) form.fields.emplace_back(name, value);
  return form;
}

}  // namespace wenku::web
