// The JSON API under /api/v1 (documented in docs/api.md). Every document text it returns
// passes through access::readable with the request's viewer (viewer_of: the session cookie's
// member, else a guest) and the server's policy.
#pragma once

#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <restinio/all.hpp>

#include "access/accounts.h"
#include "access/visible.h"
#include "web/http/errors.h"
#include "web/http/http.h"
#include "web/server.h"
#include "web/site/hot.h"
#include "web/site/settings.h"

namespace wenku::web {

// Adds the API routes to `router` (each answers HEAD as well):
//   GET /api/v1/search?q=&cat=&year=&sort=&page=&limit=   search (search::run_search)
//   GET /api/v1/suggest?q=&limit=                         completions (Index::suggest)
//   GET /api/v1/related/{id}?limit=                       related documents
//   GET /api/v1/docs/{id}                                 metadata, visible text, outline
//   GET /api/v1/hot?period=week|month&limit=              {"period","docs":[{"id","title",
//                                                         "date","category","views",
//                                                         "period_views"}]} (HotLists)
// Answers are application/json; bad parameters give 400, unknown documents 404, failures
// 500, each with {"error": "..."}. `services`, `settings`, `hot` and `accounts` must outlive
// the router.
void add_api_routes(Router& router, Services services, SettingsCache& settings, HotLists& hot,
                    access::Accounts& accounts);

// How the API answers a Failure: {"error": message} with its status (and Retry-After when
// `failure.retry_after` is set).
Status write_api_failure(const Request& req, const Failure& failure);

}  // namespace wenku::web
