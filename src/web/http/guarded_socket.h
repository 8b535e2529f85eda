// The stream socket RESTinio serves on (Traits::stream_socket_t): a TCP socket that shows
// every byte it reads to a RequestGuard first. A request the guard refuses is answered with
// refusal_response (413, 414 or 431) straight away when it is the connection's first (with
// requests before it the answer could land among their responses, so the connection is only
// closed) and the read ends as at end of stream, so RESTinio closes the connection without
// buffering the body. A head must also arrive whole within kHeadSeconds of the moment the
// connection waits for it (idle keep-alive connections included), or the connection is shut.
#pragma once

#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <sys/socket.h>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include <restinio/asio_include.hpp>
#include <restinio/tls_fwd.hpp>

#include "web/http/request_guard.h"

namespace wenku::web {

inline constexpr std::chrono::seconds kHeadSeconds{15};

// The TCP sockets of every GuardedSocket of one io_context (an asio service, so one per
// io_context). A server that has stopped closes them all and runs the io_context until RESTinio
// has ended every connection, before it destroys its acceptor: a connection still waiting for
// a read when the io_context is destroyed would tell the acceptor's connection count about its
// end after the acceptor is gone.
class OpenSockets : public restinio::asio_ns::execution_context::service {
 public:
  using socket_t = restinio::asio_ns::ip::tcp::socket;
  using Entry = std::list<socket_t*>::iterator;

  inline static restinio::asio_ns::execution_context::id id;

  explicit OpenSockets(restinio::asio_ns::io_context& io)
      : restinio::asio_ns::execution_context::service(io) {}

  static OpenSockets& of(restinio::asio_ns::io_context& io) {
    return restinio::asio_ns::use_service<OpenSockets>(io);
  }

  // Registers a socket until remove(entry). Thread-safe.
  Entry add(socket_t* socket) {
    const std::lock_guard lock(mutex_);
    return sockets_.insert(sockets_.end(), socket);
  }
  void remove(Entry entry) {
    const std::lock_guard lock(mutex_);
    sockets_.erase(entry);
  }

  // Closes every registered socket: their pending operations complete with operation_aborted
  // the next time the io_context runs. Only while no thread runs the io_context.
  void close_all() {
    const std::lock_guard lock(mutex_);
    for (socket_t* socket : sockets_) {
      restinio::asio_ns::error_code ignored;
      socket->close(ignored);
    }
  }

 private:
  void shutdown() override {}

  std::mutex mutex_;
  std::list<socket_t*> sockets_;
};

class GuardedSocket {
 public:
  using socket_t = restinio::asio_ns::ip::tcp::socket;
  using executor_type = socket_t::executor_type;

  explicit GuardedSocket(restinio::asio_ns::io_context& io)
      : io_(&io), state_(std::make_shared<State>(io)) {}
  // A socket moved from is a new closed socket, as asio's is: RESTinio's acceptor moves each
  // accepted socket out of its pool and accepts the next connection into what is left.
  GuardedSocket(GuardedSocket&& other)
      : io_(other.io_), state_(std::exchange(other.state_, std::make_shared<State>(*other.io_))) {}
  GuardedSocket& operator=(GuardedSocket&& other) {
    std::swap(io_, other.io_);
    std::swap(state_, other.state_);
    return *this;
  }
  GuardedSocket(const GuardedSocket&) = delete;
  GuardedSocket& operator=(const GuardedSocket&) = delete;
  ~GuardedSocket() {
    if (state_) state_->timer.cancel();
  }

  socket_t& lowest_layer() { return state_->socket; }
  const socket_t& lowest_layer() const { return state_->socket; }
  auto get_executor() { return state_->socket.get_executor(); }
  auto remote_endpoint() const { return state_->socket.remote_endpoint(); }
  bool is_open() const { return state_->socket.is_open(); }

  template <typename... Args>
  void cancel(Args&&... args) {
    state_->socket.cancel(std::forward<Args>(args)...);
  }
  template <typename... Args>
  void shutdown(Args&&... args) {
    state_->socket.shutdown(std::forward<Args>(args)...);
  }
  template <typename... Args>
  void close(Args&&... args) {
    state_->timer.cancel();
    state_->socket.close(std::forward<Args>(args)...);
  }
  template <typename... Args>
  auto async_write_some(Args&&... args) {
    return state_->socket.async_write_some(std::forward<Args>(args)...);
  }

  // Reads as the TCP socket does, then lets the guard look at what was read (see above).
  template <typename MutableBuffer, typename Handler>
  void async_read_some(const MutableBuffer& buffer, Handler&& handler) {
    namespace asio = restinio::asio_ns;
    // The handler runs on the connection's strand; the head deadline's does too.
    auto executor = asio::get_associated_executor(handler, state_->socket.get_executor());
    state_->socket.async_read_some(
        buffer,
        asio::bind_executor(
            executor, [state = state_, buffer, executor, handler = std::forward<Handler>(handler)](
                          const asio::error_code& ec, std::size_t length) mutable {
              if (!ec) {
                const Refusal refusal = state->guard.feed(
                    std::string_view(static_cast<const char*>(buffer.data()), length));
                if (refusal != Refusal::kNone) {
                  state->refuse(refusal);
                  handler(asio::error::make_error_code(asio::error::eof), std::size_t{0});
                  return;
                }
                if (state->guard.head_arriving() && !state->deadline_armed) {
                  arm_deadline(state, executor);
                } else if (!state->guard.head_arriving() && state->deadline_armed) {
                  state->timer.cancel();
                  state->deadline_armed = false;
                }
              }
              handler(ec, length);
            }));
  }

 private:
  struct State {
    explicit State(restinio::asio_ns::io_context& io)
        : socket(io),
          timer(io),
          open_sockets(OpenSockets::of(io)),
          entry(open_sockets.add(&socket)) {}
    ~State() { open_sockets.remove(entry); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    // Answers the first request of a connection with the refusal, then ends the connection.
    void refuse(Refusal refusal) {
      restinio::asio_ns::error_code ignored;
      if (guard.requests() == 1) {
        restinio::asio_ns::write(socket, restinio::asio_ns::buffer(refusal_response(refusal)),
                                 ignored);
      }
      socket.shutdown(socket_t::shutdown_both, ignored);
      timer.cancel();
    }

    socket_t socket;
    restinio::asio_ns::steady_timer timer;
    RequestGuard guard;
    bool deadline_armed = false;
    OpenSockets& open_sockets;
    const OpenSockets::Entry entry;
  };

  // Shuts the connection unless the head that has begun ends within kHeadSeconds.
  template <typename Executor>
  static void arm_deadline(const std::shared_ptr<State>& state, const Executor& executor) {
    namespace asio = restinio::asio_ns;
    state->deadline_armed = true;
    state->timer.expires_after(kHeadSeconds);
    std::weak_ptr<State> weak = state;
    state->timer.async_wait(asio::bind_executor(executor, [weak](const asio::error_code& ec) {
      auto alive = weak.lock();
      if (ec || !alive || !alive->deadline_armed || !alive->guard.head_arriving()) return;
      // The pending read ends at once (end of stream) and RESTinio closes the connection.
      restinio::asio_ns::error_code ignored;
      alive->socket.shutdown(socket_t::shutdown_both, ignored);
    }));
  }

  restinio::asio_ns::io_context* io_;
  std::shared_ptr<State> state_;
};

// What RESTinio's connection asks of its socket type by argument-dependent lookup (its own
// overloads cover asio's TCP socket and its TLS socket): nothing to prepare, and no TLS.
template <typename Connection, typename StartRead, typename Failed>
void prepare_connection_and_start_read(GuardedSocket&, Connection&, StartRead start_read, Failed) {
  start_read();
}
inline restinio::impl::tls_socket_t* make_tls_socket_pointer_for_state_listener(
    GuardedSocket&) noexcept {
  return nullptr;
}

}  // namespace wenku::web
