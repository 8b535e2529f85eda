// The HTTP server: RESTinio on Asio, server-rendered zh-CN pages from mstch templates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "access/visible.h"
#include "doc/document.h"
#include "doc/templater.h"
#include "store/store.h"
#include "web/settings.h"

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
  unsigned threads = 2;  // of this process
  // Bind with SO_REUSEPORT, so that several worker processes share the address and the
  // kernel spreads connections over them (`wenku serve --workers N`).
  bool reuse_port = false;
  // Defaults of the site settings; settings saved by the admin (Store::settings) win.
  SiteSettings site;
  // Token that opens /admin before accounts exist (printed at start-up); "" : admin closed.
  std::string admin_token;
};

// What an admin upload or edit committed.
struct IngestReport {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::vector<store::SimilarPair> near_duplicates;  // links found for the new texts
};

// What handlers need; owned by the caller and outliving the server.
struct Services {
  store::Store& store;
  search::Index& index;
  const doc::PlaceNames& places;  // for the 模板版 of what a guest may read
  // Fills the derived fields (keywords, SimHash, analysis) of `docs` and commits them in one
  // transaction, linking near-duplicates, exactly as `wenku import` does. Empty: uploads and
  // edits are refused.
  std::function<IngestReport(std::vector<doc::Document>)> ingest;
};

// Serves until SIGINT/SIGTERM. Routes: / (latest and categories), /doc/{id}, /search?q=&page=,
// /healthz, /static/{file}; for each document /doc/{id}/template (模板版), /doc/{id}/tasks
// (任务分解表) and its downloads /doc/{id}/tasks.csv and /doc/{id}/tasks.xlsx, all of them
// limited to what access::visible lets a guest read. Calls `on_listening` once the socket accepts
// connections. Throws std::runtime_error when the address cannot be bound.
void serve(Services services, const ServerOptions& options,
           const std::function<void()>& on_listening = {});

}  // namespace wenku::web
