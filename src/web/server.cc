// RESTinio wiring: routes -> handlers -> Pages, plus static assets and signal handling.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include "web/server.h"

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <exception>
#include <memory>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <restinio/all.hpp>

#include "search/index.h"
#include "web/admin/admin.h"
#include "web/admin/admin_auth.h"
#include "web/api/api.h"
#include "web/http/errors.h"
#include "web/http/gate.h"
#include "web/http/guarded_socket.h"
#include "web/http/http.h"
#include "web/http/stop_once.h"
#include "web/site/feedback.h"
#include "web/site/hot.h"
#include "web/site/layout.h"
#include "web/site/members.h"
#include "web/site/public_site.h"
#include "web/site/render.h"
#include "web/site/settings.h"

namespace wenku::web {

namespace {

using RequestHandler = restinio::default_request_handler_t;
// Connections read through GuardedSocket: heads and bodies are bounded before RESTinio buffers
// them (web/http/request_guard.h).
struct Traits : restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t,
                                   RequestHandler, restinio::default_strand_t, GuardedSocket> {
  // Connections beyond kMaxConnectionsPerWorker wait in the listen backlog instead of each
  // holding buffers in the process.
  static constexpr bool use_connection_count_limiter = true;
};
using Server = restinio::http_server_t<Traits>;

// Open connections one worker serves at once (the load test keeps 256 open).
constexpr std::size_t kMaxConnectionsPerWorker = 1024;
// Accepts a worker keeps waiting at once. With one, each new connection was accepted only after
// every request queued before the accept's turn (a full round of the open connections under
// load): 256 connections opened at once waited up to seconds to be accepted, and wrk timed
// out on some (bench/load).
constexpr std::uint16_t kConcurrentAccepts = 64;
// Requests a client may send on one connection before the first is answered; they are
// answered in order (RESTinio's default of 1 closed the connection after the first).
constexpr std::size_t kMaxPipelinedRequests = 16;
// The longest a whole request may take to arrive, body included (an upload of kMaxUploadBytes
// needs about 0.6 MB/s), and the longest a kept-alive connection waits for the next one. The
// head alone must arrive within kHeadSeconds of its first byte (GuardedSocket).
constexpr std::chrono::seconds kRequestSeconds{120};

// One serving process's site: the state every group of routes shares (settings, accounts,
// hot lists, templates, the layout) and the router over all of them.
class Site {
 public:
  Site(Services services, const ServerOptions& options)
      : services_(services),
        options_(options),
        settings_(services.store, options.site),
        accounts_(services.store, csrf_secret(services.store)),
        layout_(renderer_, settings_, accounts_, services.store,
                options.host.find(':') != std::string::npos
                    ? fmt::format("[{}]:{}", options.host, options.port)
                    : fmt::format("{}:{}", options.host, options.port)),
        hot_(services.store),
        public_(services, settings_, accounts_, hot_, layout_),
        own_shared_(options.shared != nullptr ? nullptr : std::make_unique<SharedServerState>()),
        shared_(options.shared != nullptr ? *options.shared : *own_shared_),
        gate_(std::make_shared<const Gate>(
            shared_.limiter, shared_.metrics, GateOptions{options.rate_limits, options.access_log},
            GateHooks{[this](const Request& r) {
                        const auto member = member_of(r, accounts_);
                        return member ? member->viewer.user_id : std::int64_t{0};
                      },
                      [this](const Request& r, const Failure& failure) {
                        if (r->header().path().starts_with("/api/")) {
                          return write_api_failure(r, failure);
                        }
                        return layout_.error(r, failure, member_of(r, accounts_));
                      }})) {
    set_client_key_secret(client_key_secret(services.store));
  }

  // The request handler: routes() and the 400 page for a request the router cannot even
  // match (it throws restinio::exception_t for a path whose percent-escapes are not UTF-8).
  std::unique_ptr<RequestHandler> router() const {
    return std::make_unique<RequestHandler>(
        [this, routes = std::shared_ptr<Router>(routes())](const Request& req) {
          try {
            return (*routes)(req);
          } catch (const restinio::exception_t&) {
            return error(req, 400);
          }
        });
  }

  // Every route: the public pages, the API, the member pages, the admin and 联系客服.
  std::unique_ptr<Router> routes() const {
    auto router = std::make_unique<Router>(gate_);
    public_.add_routes(*router);
    add_api_routes(*router, services_, settings_, hot_, accounts_);
    add_member_routes(*router, {services_.store, settings_, accounts_, layout_});
    add_admin_routes(*router, services_, options_, settings_, renderer_, accounts_);
    add_feedback_routes(*router, {services_.store, settings_, accounts_, layout_});
    router->get_and_head("/metrics", [this, self = router.get()](const Request& r, Params) {
      return metrics(r, *self);
    });
    // A path some route has, asked with another method: 405 with the methods it accepts.
    router->non_matched_request_handler([this, self = router.get()](const Request& r) {
      Failure failure = failure_of_status(404);
      if (auto allow = self->allowed_methods(r->header().path()); !allow.empty()) {
        failure = failure_of_status(405);
        failure.allow = std::move(allow);
      }
      return layout_.error(r, failure, member_of(r, accounts_));
    });
    return router;
  }

 private:
  // GET /metrics (see serve): the shared metrics, named by `router`'s routes, and the gauges
  // of the library.
  Status metrics(const Request& req, const Router& router) const {
    if (!may_read_metrics(req)) return error(req, 403);
    std::vector<std::string> names;
    for (const auto& route : router.routes()) names.push_back(route.method + " " + route.path);
    names.push_back("ANY (no route)");
    const auto last_seq = services_.store.last_seq();
    const Gauge gauges[] = {
        {"wenku_documents", "Documents in the library (deleted ones left out).",
         static_cast<double>(services_.store.count())},
        {"wenku_index_lag", "Changes of the store the search index has not applied yet.",
         static_cast<double>(std::max<std::int64_t>(0, last_seq - services_.index.applied_seq()))},
    };
    ResponseOptions options;
    options.cache_control = "no-store";
    return send(req, restinio::status_ok(), "text/plain; version=0.0.4; charset=utf-8",
                shared_.metrics.render(names, gauges, monotonic_ms()), options);
  }

  // A scraper on this machine (a loopback peer, not forwarded by a proxy) or one that
  // presents the admin token (Authorization: Bearer TOKEN).
  bool may_read_metrics(const Request& req) const {
    const auto peer = req->remote_endpoint().address();
    if (peer.is_loopback() && !req->header().has_field("X-Forwarded-For") &&
        !req->header().has_field("Forwarded")) {
      return true;
    }
    const auto authorization = req->header().opt_value_of(restinio::http_field::authorization);
    constexpr std::string_view kBearer = "Bearer ";
    return !options_.admin_token.empty() && authorization && authorization->starts_with(kBearer) &&
           AdminAuth(options_.admin_token).token_matches(authorization->substr(kBearer.size()));
  }

  Status error(const Request& req, int code) const {
    return layout_.error(req, failure_of_status(code), member_of(req, accounts_));
  }

  Services services_;
  const ServerOptions& options_;
  mutable SettingsCache settings_;
  mutable access::Accounts accounts_;
  Renderer renderer_;
  Layout layout_;
  mutable HotLists hot_;
  PublicSite public_;
  std::unique_ptr<SharedServerState> own_shared_;  // when the options bring none
  SharedServerState& shared_;
  std::shared_ptr<const Gate> gate_;
};

// Ends the connections a stopped server still has open before the server, and with it the
// acceptor that counts them, is destroyed (see OpenSockets): closes their sockets and runs the
// io_context until RESTinio has handled every aborted operation, or for at most a few seconds.
void end_open_connections(restinio::asio_ns::io_context& io) {
  io.restart();
  OpenSockets::of(io).close_all();
  io.run_for(std::chrono::seconds(5));
}

sigset_t stop_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void hold_stop_signals() {
  sigset_t stop_signals = stop_signal_set();
  if (pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0) {
    throw std::runtime_error("cannot block SIGINT and SIGTERM");
  }
}

ListeningSocket::ListeningSocket(const std::string& host, std::uint16_t port) {
  namespace ip = restinio::asio_ns::ip;
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error(fmt::format("cannot listen on {}:{}: {}", host, port, reason));
  };
  restinio::asio_ns::error_code ec;
  const auto address = ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) throw fail("not an IP address");
  restinio::asio_ns::io_context io;
  ip::tcp::acceptor acceptor(io);
  const ip::tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(restinio::asio_ns::socket_base::max_listen_connections, ec);
  if (ec) throw fail(ec.message());
  port_ = acceptor.local_endpoint().port();
  fd_ = acceptor.release();
}

ListeningSocket::~ListeningSocket() { ::close(fd_); }

std::vector<Router::Route> route_table(Services services, ServerOptions options) {
  if (options.admin_token.empty()) options.admin_token = "route-table";  // admin routes too
  const Site site(services, options);
  return site.routes()->routes();
}

void serve(Services services, const ServerOptions& options,
           const std::function<void()>& on_listening) {
  if (options.listening_fd < 0) throw std::invalid_argument("serve: no listening socket");
  set_trusted_proxies(options.trusted_proxies);
  Site site(services, options);
  Server server{restinio::own_io_context(), [&](auto& settings) {
                  // RESTinio 0.6 always opens and binds an acceptor of its own; it binds a
                  // throwaway port here, and the hook swaps in (a duplicate of) the shared
                  // listening socket before RESTinio listens and accepts on it.
                  settings.address(options.host).port(0).request_handler(site.router());
                  settings.acceptor_post_bind_hook([fd = options.listening_fd](auto& acceptor) {
                    const auto protocol = acceptor.local_endpoint().protocol();
                    acceptor.close();
                    const int own = ::dup(fd);
                    if (own < 0) throw std::system_error(errno, std::generic_category(), "dup");
                    acceptor.assign(protocol, own);
                  });
                  settings.incoming_http_msg_limits(
                      restinio::incoming_http_msg_limits_t{}.max_body_size(kMaxUploadBytes));
                  settings.read_next_http_message_timelimit(kRequestSeconds);
                  settings.max_parallel_connections(kMaxConnectionsPerWorker);
                  settings.concurrent_accepts_count(kConcurrentAccepts);
                  settings.max_pipelined_requests(kMaxPipelinedRequests);
                }};
  restinio::on_pool_runner_t<Server> runner{std::max(1u, options.threads), server};

  StopOnce stop([&runner] { runner.stop(); });
  restinio::asio_ns::signal_set signals{server.io_context(), SIGINT, SIGTERM};
  signals.async_wait([&stop](const restinio::asio_ns::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    stop.request();
  });
  // A stop asked while the process was opening (held since hold_stop_signals): nothing is in
  // flight yet, so nothing is served. (Stopping a server from within its start had a rare hang.)
  sigset_t stop_signals = stop_signal_set();
  if (sigset_t pending; sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) == 1 ||
                                                      sigismember(&pending, SIGINT) == 1)) {
    const timespec now{};
    const int signal = sigtimedwait(&stop_signals, nullptr, &now);
    spdlog::info("signal {} before listening: not serving", signal);
    return;
  }
  // Handled from here on: one arriving before the server listens stops it once it does
  // (StopOnce).
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);

  std::exception_ptr open_error;
  std::exception_ptr listening_error;
  runner.start(
      [&]() noexcept {
        if (on_listening) {
          try {
            on_listening();
          } catch (...) {
            listening_error = std::current_exception();
            stop.request();
          }
        }
        stop.listening();
      },
      [&](std::exception_ptr e) noexcept { open_error = std::move(e); });
  runner.wait();
  signals.cancel();
  end_open_connections(server.io_context());

  if (open_error) {
    try {
      std::rethrow_exception(open_error);
    } catch (const std::exception& e) {
      throw std::runtime_error(
          fmt::format("cannot listen on {}:{}: {}", options.host, options.port, e.what()));
    }
  }
  if (listening_error) std::rethrow_exception(listening_error);
}

}  // namespace wenku::web
