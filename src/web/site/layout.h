// The frame every page of the site is shown in (header with the search box and the member's
// name, side bar QR code, footer, site.js): the one place that builds what the shared layout
// needs, for the public pages, the member pages, 联系客服 and the error pages alike. (The
// admin pages have a layout of their own.)
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <mstch/mstch.hpp>

#include "access/accounts.h"
#include "web/http/errors.h"
#include "web/http/http.h"
#include "web/http/ttl_cache.h"
#include "web/site/genres.h"
#include "web/site/render.h"
#include "web/site/settings.h"

namespace wenku::web {

// What every page of one request needs besides its own data.
struct PageEnv {
  const SiteSettings& site;  // the settings in force (site name, 客服 text, 微信订阅号 …)
  std::string base_url;      // absolute address of the site, no trailing '/' (site_base_url)
  // qr_svg of the home page, shown in the side bar when no 微信订阅号 image was uploaded.
  std::string site_qr_svg;
  std::string member;      // the logged-in account's name (header link to /me); "": a guest
  std::string csrf_token;  // a member's form token (收藏 posts to /me/favorites); "": a guest
  std::shared_ptr<const std::vector<GenreLink>> genres;  // the header's genre links; null: none
};

// Renders template `page` with `context` inside the layout for `env`: adds the layout's
// `site_script`, `site_qr_svg`, `base_url`, the genre links (`genres`: label, href,
// reference; `has_genres`, `has_reference_genres`) and (unless it has one) `csrf_token` to
// `context` and the member's name to `head`. Throws std::out_of_range for an unknown template.
std::string render_in_layout(const Renderer& renderer, const PageEnv& env, const std::string& page,
                             Head head, mstch::map context);

// The error page (noindex) of `failure`: its status, heading and message.
std::string error_page(const Renderer& renderer, const PageEnv& env, const Failure& failure);

// Builds the PageEnv of each request. Thread-safe; `renderer`, `settings`, `accounts` and
// `store` must outlive it.
class Layout {
 public:
  // `listen` is the address served ("host:port"), the base URL's last resort (site_base_url).
  // The genre links come from `store`'s categories (GenreNav).
  Layout(const Renderer& renderer, SettingsCache& settings, access::Accounts& accounts,
         store::Store& store, std::string listen);

  // The PageEnv of a page rendered under `site` (the settings snapshot the page renders with;
  // it must outlive the PageEnv) for `member`, the request's member (member_of) or nullopt.
  PageEnv env(const SiteSettings& site, const std::optional<access::Member>& member) const;

  // The absolute address of the site (see site_base_url).
  std::string base_url(const SiteSettings& site) const;

  // The QR code SVG of `text`, cached (permalinks are few and their codes never change).
  std::shared_ptr<const std::string> qr(const std::string& text) const;

  // Answers `req` with the error page of `failure` (status failure.status, no-store), for
  // `member` (the request's, or nullopt).
  Status error(const Request& req, const Failure& failure,
               const std::optional<access::Member>& member) const;

  const Renderer& renderer() const { return renderer_; }
  SettingsCache& settings() const { return settings_; }

 private:
  const Renderer& renderer_;
  SettingsCache& settings_;
  access::Accounts& accounts_;
  const std::string listen_;
  GenreNav genres_;
  mutable TtlCache<std::string> qr_cache_{std::chrono::hours(1), 512};
};

}  // namespace wenku::web
