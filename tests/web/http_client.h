// A small HTTP/1.1 client for the web tests (Boost.Beast): any method, extra request headers,
// the response headers and body as sent (no decompression).
#pragma once

#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <zlib.h>

namespace wenku::web::testing_http {

namespace http = boost::beast::http;

using Headers = std::vector<std::pair<http::field, std::string>>;

struct Reply {
  int status = 0;
  http::fields headers;
  std::string body;
  bool has(http::field f) const { return headers.find(f) != headers.end(); }
  std::string header(http::field f) const {
    auto it = headers.find(f);
    return it == headers.end() ? "" : std::string(it->value());
  }
};

// Sends one request with `body` to 127.0.0.1:`port` from loopback address `source` (the
// server tells clients apart by address) (Host: 127.0.0.1:`port` unless `headers` sets it) and
// reads the answer; for HEAD the body is not read, as the protocol requires.
inline Reply fetch(int port, http::verb verb, const std::string& target,
                   const Headers& headers = {}, const std::string& body = "",
                   const std::string& source = "127.0.0.1") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.open(boost::asio::ip::tcp::v4());
  socket.bind({boost::asio::ip::make_address(source), 0});
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [field, value] : headers) request.set(field, value);
  request.body() = body;
  if (!body.empty() || verb == http::verb::post) request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (verb == http::verb::head) parser.skip(true);
  http::read(socket, buffer, parser);
  Reply reply;
  auto response = parser.release();
  reply.status = response.result_int();
  for (const auto& f : response.base()) reply.headers.insert(f.name_string(), f.value());
  reply.body = std::move(response.body());
  return reply;
}

inline Reply get(int port, const std::string& target, const Headers& headers = {}) {
  return fetch(port, http::verb::get, target, headers);
}

// Inflates a gzip stream; throws when it is not one.
inline std::string gunzip(const std::string& data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

}  // namespace wenku::web::testing_http
