#include "web/site/layout.h"

#include <utility>

#include "web/http/url.h"
#include "web/site/assets.h"
#include "web/site/members.h"
#include "web/site/qr.h"

namespace wenku::web {

std::string render_in_layout(const Renderer& renderer, const PageEnv& env, const std::string& page,
                             Head head, mstch::map context) {
  static const std::string script = asset_url("site.js");
  context["site_script"] = script;
  context["site_qr_svg"] = env.site_qr_svg;
  context["base_url"] = env.base_url;
  mstch::array genres;
  bool reference = false;
  if (env.genres) {
    for (const auto& g : *env.genres) {
      genres.push_back(
          mstch::map{{"label", g.label}, {"href", g.href}, {"reference", g.reference}});
      reference = reference || g.reference;
    }
  }
  context["has_genres"] = !genres.empty();
  context["has_reference_genres"] = reference;
  context["genres"] = std::move(genres);
  context.emplace("csrf_token", env.csrf_token);  // guest forms bring their own
  head.member = env.member;
  return renderer.render(page, head, env.site, std::move(context));
}

std::string error_page(const Renderer& renderer, const PageEnv& env, const Failure& failure) {
  Head head;
  head.title = failure.heading + " - " + env.site.site_name;
  head.noindex = true;
  mstch::map context{{"heading", failure.heading},
                     {"message", failure.message},
                     {"status", std::to_string(failure.status)}};
  return render_in_layout(renderer, env, "error", std::move(head), std::move(context));
}

Layout::Layout(const Renderer& renderer, SettingsCache& settings, access::Accounts& accounts,
               store::Store& store, std::string listen)
    : renderer_(renderer),
      settings_(settings),
      accounts_(accounts),
      listen_(std::move(listen)),
      genres_(store) {}

PageEnv Layout::env(const SiteSettings& site, const std::optional<access::Member>& member) const {
  PageEnv e{site, base_url(site), "", "", "", genres_.links()};
  if (!site.has_wechat_image) e.site_qr_svg = *qr(e.base_url + "/");
  if (member) {
    e.member = member->user.name;
    e.csrf_token = member_csrf(*member, accounts_);
  }
  return e;
}

std::string Layout::base_url(const SiteSettings& site) const {
  return site_base_url(site.base_url, listen_);
}

std::shared_ptr<const std::string> Layout::qr(const std::string& text) const {
  return qr_cache_.get(text, [&] { return qr_svg(text); });
}

Status Layout::error(const Request& req, const Failure& failure,
                     const std::optional<access::Member>& member) const {
  const auto site = settings_.get();
  ResponseOptions options;
  options.cache_control = "no-store";
  if (!failure.allow.empty()) options.headers.emplace_back("Allow", failure.allow);
  options.retry_after = failure.retry_after;
  return send(req, status_line(failure.status), kHtml,
              error_page(renderer_, env(*site, member), failure), options);
}

}  // namespace wenku::web
