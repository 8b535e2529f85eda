// The site's own data in the store: 专题 collections, 联系客服 messages, settings and the files
// the admin uploads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_error.h"

namespace wenku::store {

// A 专题 collection: an ordered, curated list of documents.
struct Collection {
  std::string slug;  // [a-z0-9-]+, the address /topic/{slug}
  std::string title;
  std::string description;
  int position = 0;  // display order on the home page, ascending
  // Document ids in the curated order. Reads leave out soft-deleted documents (they come
  // back when restored).
  std::vector<std::string> ids;
};

// A message left through 联系客服.
struct Feedback {
  std::int64_t id = 0;  // assigned by add_feedback
  std::string contact;
  std::string message;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS" UTC, set by add_feedback
  std::string client;      // opaque client key (IP hash) for rate limiting; never shown
  bool handled = false;
};

// A file the admin uploaded for the site (e.g. the 微信订阅号 QR image).
struct SiteFile {
  std::string name;  // key, e.g. "wechat-qr"
  std::string content_type;
  std::string data;  // raw bytes
  std::string updated_at;
};

// Every method is safe to call from several threads at once.
class SiteStore {
 public:
  virtual ~SiteStore() = default;

  // ---- 专题 collections ----

  // Inserts or replaces (by slug) a collection; unknown document ids are kept out.
  virtual void put_collection(const Collection& collection) = 0;
  // Returns false when no collection has `slug`.
  virtual bool delete_collection(std::string_view slug) = 0;
  // All collections by position, then slug.
  virtual std::vector<Collection> collections() = 0;
  virtual std::optional<Collection> collection(std::string_view slug) = 0;

  // ---- feedback (联系客服) ----

  // Stores `feedback` (id, created_at and handled are set here) and returns its id.
  virtual std::int64_t add_feedback(const Feedback& feedback) = 0;
  // Newest first; `unhandled_only` limits to those not yet handled.
  virtual std::vector<Feedback> feedback(bool unhandled_only, std::size_t limit,
                                         std::size_t offset) = 0;
  virtual std::int64_t feedback_count(bool unhandled_only) = 0;
  // Messages from `client` created at or after `since` ("YYYY-MM-DD HH:MM:SS" UTC).
  virtual std::int64_t feedback_count_since(std::string_view client, std::string_view since) = 0;
  // Returns false when no message has `id`.
  virtual bool set_feedback_handled(std::int64_t id, bool handled) = 0;

  // ---- site settings and files ----

  // Every stored setting (key -> value); keys are chosen by the web layer.
  virtual std::map<std::string, std::string> settings() = 0;
  // Stores every entry of `values` in one transaction (other keys unchanged); bumps
  // settings_version.
  virtual void set_settings(const std::map<std::string, std::string>& values) = 0;
  // Returns the value of setting `key`, first storing `initial` when the key has none, in one
  // transaction: concurrent callers (several server processes) all get the same value.
  // Does not bump settings_version.
  virtual std::string ensure_setting(std::string_view key, std::string_view initial) = 0;
  // Increases on every set_settings/put_site_file, so server processes can tell their cached
  // settings are stale with one cheap read.
  virtual std::int64_t settings_version() = 0;
  virtual void put_site_file(const SiteFile& file) = 0;  // sets updated_at
  virtual std::optional<SiteFile> site_file(std::string_view name) = 0;
};

}  // namespace wenku::store
