// The public pages' routes: / (latest, categories, hot lists, 专题), /doc/{id} with its 模板版
// (/template), 任务分解表 (/tasks, /tasks.csv, /tasks.xlsx, /tasks.docx), GB/T 9704 Word files of
// the text and the 模板版 (/word.docx, /template.docx) and QR code (/qr/doc/{id}.svg),
// /category/{name}, /hot, /topic/{slug}, /search, /sitemap.xml and /sitemap-N.xml,
// /robots.txt, /favicon.ico, /healthz, /static/{file} and /site/wechat-qr. Every text they show is
// an access::Readable made for the request's viewer (member_of: the session cookie's member, else a
// guest) under the site's policy.
#pragma once

#include <memory>

#include "access/accounts.h"
#include "web/http/http.h"
#include "web/server.h"
#include "web/site/hot.h"
#include "web/site/layout.h"
#include "web/site/settings.h"

namespace wenku::web {

class PublicSite {
 public:
  // Every argument must outlive this object.
  PublicSite(Services services, SettingsCache& settings, access::Accounts& accounts, HotLists& hot,
             const Layout& layout);
  ~PublicSite();  // writes the views counted so far (ViewCounter)
  PublicSite(const PublicSite&) = delete;
  PublicSite& operator=(const PublicSite&) = delete;

  // Adds the routes to `router`; this object must outlive the router.
  void add_routes(Router& router) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wenku::web
