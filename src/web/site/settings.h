// Site settings the admin edits (stored in Store::settings), with their defaults, and a
// per-process cache that notices changes made by any process through settings_version.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "access/visible.h"

namespace wenku::store {
class Store;
}

namespace wenku::web {

struct SiteSettings {
  std::string site_name = "文库";
  std::string base_url;  // absolute address of the site, e.g. "https://wenku.example.cn"; "" :
                         // links are made from the request's Host header
  std::size_t preview_chars = 600;     // guest preview length (access::Policy::preview_chars)
  bool guests_read_full_text = false;  // opens every full text to guests (no login wall)
  // 标题日期前缀: lists and pages show "YYYYMMDD:" before the title of a document whose day
  // is known (web::listed_title).
  bool title_date_prefix = true;
  std::string contact_text = "工作时间：周一至周五 9:00-17:00";  // shown in 联系客服
  std::string wechat_caption = "微信订阅号";  // caption of the site QR / 订阅号 image
  bool has_wechat_image = false;              // an image was uploaded (served at /site/wechat-qr)
  // Who may open an account at /register: "open" (anyone, the default), "invite" (with
  // `invite_code`) or "closed" (only the admin and the CLI create accounts).
  std::string registration = "open";
  std::string invite_code;   // 邀请码 when registration is "invite"
  std::int64_t version = 0;  // Store::settings_version it was read at

  // The access policy these settings give.
  access::Policy policy() const;
};

// Settings keys in the store; values are strings ("1"/"0" for flags).
namespace setting_keys {
inline constexpr const char* kSiteName = "site_name";
inline constexpr const char* kBaseUrl = "base_url";
inline constexpr const char* kPreviewChars = "preview_chars";
inline constexpr const char* kGuestsReadFullText = "guests_read_full_text";
inline constexpr const char* kTitleDatePrefix = "title_date_prefix";
inline constexpr const char* kContactText = "contact_text";
inline constexpr const char* kWechatCaption = "wechat_caption";
inline constexpr const char* kRegistration = "registration";
inline constexpr const char* kInviteCode = "invite_code";
}  // namespace setting_keys

// Name of the SiteFile holding the uploaded 微信订阅号 / site QR image.
inline constexpr const char* kWechatImageFile = "wechat-qr";

// Reads the settings from `values`, starting from `defaults` for keys that are absent or
// unreadable (a non-numeric or out-of-range preview length keeps the default; it is clamped
// to 50..20000).
SiteSettings settings_from(const std::map<std::string, std::string>& values, SiteSettings defaults);

// Converts `settings` back to store values (every key of setting_keys).
std::map<std::string, std::string> settings_to_values(const SiteSettings& settings);

// The site's client-key secret (see web::set_client_key_secret): created at random by the
// first server process and kept in the store (setting "client_key_secret", never shown), so all
// processes and restarts share it.
std::string client_key_secret(store::Store& store);

// Caches the store's settings; `get` re-reads them when Store::settings_version moved (one
// cheap query, done at most once per `check_interval_ms`). Thread-safe.
class SettingsCache {
 public:
  // `defaults` come from the command line; stored settings override them.
  SettingsCache(store::Store& store, SiteSettings defaults, int check_interval_ms = 1000);

  // The current settings (a snapshot; cheap to copy).
  std::shared_ptr<const SiteSettings> get();

  // Forces the next `get` to re-read (after this process changed the settings).
  void invalidate();

 private:
  store::Store& store_;
  const SiteSettings defaults_;
  const int check_interval_ms_;
  std::mutex mutex_;
  std::shared_ptr<const SiteSettings> current_;
  std::int64_t checked_at_ms_ = 0;
};

}  // namespace wenku::web
