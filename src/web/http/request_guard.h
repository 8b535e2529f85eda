// The first look at every request, taken as its bytes arrive and before RESTinio reads a body:
// heads of bounded size, and bodies no larger than their route allows (none for GET and HEAD,
// a little for forms, the upload limit only for uploads). RESTinio 0.6 reads and buffers the
// whole body (up to its one global limit) before any handler runs, so this runs underneath
// it, in the socket (web/http/guarded_socket.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wenku::web {

// The most bytes of a request head (request line and header fields) and of its target.
inline constexpr std::size_t kMaxHeadBytes = 32 * 1024;
inline constexpr std::size_t kMaxTargetBytes = 8 * 1024;

// The largest body a request of `method` to `path` (its target without the query) may send:
// 0 for every method but POST; for POST, the upload limit (kMaxUploadBytes) for
// /admin/upload, a document's text for /admin/docs/:id/edit, 2 MiB for other admin forms,
// 64 KiB for every other form.
std::uint64_t body_limit(std::string_view method, std::string_view path);
inline constexpr std::uint64_t kMaxUploadBytes = 64 * 1024 * 1024;

// Why a request is refused before it is read whole.
enum class Refusal {
  kNone,
  kBodyTooLarge,   // 413: Content-Length, or the chunks so far, above body_limit
  kHeadTooLarge,   // 431: more than kMaxHeadBytes before the head's end
  kTargetTooLong,  // 414: a request target of more than kMaxTargetBytes
};

// The whole HTTP/1.1 response of `refusal` (not kNone): its status, a short zh-CN page, and
// Connection: close.
std::string refusal_response(Refusal refusal);

// Follows one connection's bytes request by request (pipelined ones too) with an HTTP parser
// of its own. Not thread-safe; one per connection.
class RequestGuard {
 public:
  RequestGuard();
  ~RequestGuard();
  RequestGuard(RequestGuard&&) noexcept;
  RequestGuard& operator=(RequestGuard&&) noexcept;

  // Takes the next bytes read from the connection. Returns the refusal of the request they
  // belong to, kNone while all is well. After a refusal, or bytes that are not HTTP (which
  // RESTinio refuses itself), later calls return kNone and look at nothing.
  Refusal feed(std::string_view bytes);

  // True from the first byte of a request head until its end.
  bool head_arriving() const;

  // The number of requests whose head has begun, the current one included.
  std::uint64_t requests() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wenku::web
