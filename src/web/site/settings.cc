#include "web/site/settings.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <random>

#include <fmt/format.h>

#include "store/store.h"

namespace wenku::web {

namespace {

constexpr std::size_t kMinPreviewChars = 50;
constexpr std::size_t kMaxPreviewChars = 20000;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

access::Policy SiteSettings::policy() const {
  access::Policy p;
  p.guests_read_full_text = guests_read_full_text;
  p.preview_chars = preview_chars;
  return p;
}

SiteSettings settings_from(const std::map<std::string, std::string>& values,
                           SiteSettings defaults) {
  SiteSettings s = std::move(defaults);
  auto get = [&values](const char* key) -> const std::string* {
    auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
  };
  if (auto* v = get(setting_keys::kSiteName); v && !v->empty()) s.site_name = *v;
  if (auto* v = get(setting_keys::kBaseUrl)) s.base_url = *v;
  if (auto* v = get(setting_keys::kPreviewChars)) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && end == v->data() + v->size()) {
      s.preview_chars = std::clamp(n, kMinPreviewChars, kMaxPreviewChars);
    }
  }
  if (auto* v = get(setting_keys::kGuestsReadFullText)) s.guests_read_full_text = *v == "1";
  if (auto* v = get(setting_keys::kTitleDatePrefix)) s.title_date_prefix = *v == "1";
  if (auto* v = get(setting_keys::kContactText)) s.contact_text = *v;
  if (auto* v = get(setting_keys::kWechatCaption); v && !v->empty()) s.wechat_caption = *v;
  if (auto* v = get(setting_keys::kRegistration);
      v && (*v == "open" || *v == "invite" || *v == "closed")) {
    s.registration = *v;
  }
  if (auto* v = get(setting_keys::kInviteCode)) s.invite_code = *v;
  return s;
}

std::map<std::string, std::string> settings_to_values(const SiteSettings& s) {
  return {{setting_keys::kSiteName, s.site_name},
          {setting_keys::kBaseUrl, s.base_url},
          {setting_keys::kPreviewChars, std::to_string(s.preview_chars)},
          {setting_keys::kGuestsReadFullText, s.guests_read_full_text ? "1" : "0"},
          {setting_keys::kTitleDatePrefix, s.title_date_prefix ? "1" : "0"},
          {setting_keys::kContactText, s.contact_text},
          {setting_keys::kWechatCaption, s.wechat_caption},
          {setting_keys::kRegistration, s.registration},
          {setting_keys::kInviteCode, s.invite_code}};
}

std::string client_key_secret(store::Store& store) {
  std::random_device random;
  std::string fresh;
  for (int i = 0; i < 4; ++i) fresh += fmt::format("{:08x}", random());
  return store.ensure_setting("client_key_secret", fresh);
}

SettingsCache::SettingsCache(store::Store& store, SiteSettings defaults, int check_interval_ms)
    : store_(store), defaults_(std::move(defaults)), check_interval_ms_(check_interval_ms) {}

std::shared_ptr<const SiteSettings> SettingsCache::get() {
  std::lock_guard lock(mutex_);
  const std::int64_t now = now_ms();
  if (current_ && now - checked_at_ms_ < check_interval_ms_) return current_;
  checked_at_ms_ = now;
  const std::int64_t version = store_.settings_version();
  if (current_ && current_->version == version) return current_;
  auto s = std::make_shared<SiteSettings>(settings_from(store_.settings(), defaults_));
  s->version = version;
  s->has_wechat_image = store_.site_file(kWechatImageFile).has_value();
  current_ = std::move(s);
  return current_;
}

void SettingsCache::invalidate() {
  std::lock_guard lock(mutex_);
  current_.reset();
}

}  // namespace wenku::web
