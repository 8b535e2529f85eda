// The HTTP server: RESTinio on Asio, server-rendered zh-CN pages from mstch templates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "access/visible.h"
#include "doc/templater.h"

namespace wenku::store {
class Store;
}
namespace wenku::search {
class Index;
}

namespace wenku::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned threads = 2;
  std::string site_name = "文库";
  access::Policy policy;
};

// What handlers need; owned by the caller and outliving the server.
struct Services {
  store::Store& store;
  search::Index& index;
  const doc::PlaceNames& places;  // for the 模板版 of what a guest may read
};

// Serves until SIGINT/SIGTERM. Routes: / (latest and categories), /doc/{id}, /search?q=&page=,
// /healthz, /static/{file}; for each document /doc/{id}/template (模板版), /doc/{id}/tasks
// (任务分解表) and its downloads /doc/{id}/tasks.csv and /doc/{id}/tasks.xlsx, all of them
// limited to what access::visible lets a guest read. Calls `on_listening` once the socket accepts
// connections. Throws std::runtime_error when the address cannot be bound.
void serve(Services services, const ServerOptions& options,
           const std::function<void()>& on_listening = {});

}  // namespace wenku::web
