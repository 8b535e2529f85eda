#include "web/site/views.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <xxhash.h>

#include "text/utf8.h"
#include "web/site/hot.h"

namespace wenku::web {

namespace {

// Lowercase markers of crawlers and scripted clients (see is_bot in views.h).
constexpr std::array<std::string_view, 19> kBotMarkers{"bot",
                                                       "spider",
                                                       "crawl",
                                                       "slurp",
                                                       "curl",
                                                       "wget",
                                                       "python-requests",
                                                       "python-urllib",
                                                       "aiohttp",
                                                       "go-http-client",
                                                       "java/",
                                                       "okhttp",
                                                       "apache-httpclient",
                                                       "libwww-perl",
                                                       "scrapy",
                                                       "httpie",
                                                       "node-fetch",
                                                       "axios/",
                                                       "facebookexternalhit"};

constexpr std::size_t kVisitorIdBytes = 16;

bool is_visitor_id(std::string_view value) {
  return value.size() == 2 * kVisitorIdBytes && std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// 128 random bits from the kernel as 32 lowercase hex digits.
std::string new_visitor_id() {
  std::array<unsigned char, kVisitorIdBytes> bytes{};
  if (getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    throw std::runtime_error("getrandom failed");
  }
  return fmt::format("{:02x}", fmt::join(bytes, ""));
}

}  // namespace

bool is_bot(std::string_view user_agent) {
  std::string lower(text::trim(user_agent));
  if (lower.empty()) return true;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return std::any_of(kBotMarkers.begin(), kBotMarkers.end(), [&lower](std::string_view marker) {
    return lower.find(marker) != std::string::npos;
  });
}

ViewCounter::ViewCounter(store::CounterStore& store, std::chrono::milliseconds flush_interval)
    : store_(store), interval_(flush_interval), thread_([this] { run(); }) {}

ViewCounter::~ViewCounter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  flush();
  std::lock_guard lock(mutex_);
  if (!pending_.empty()) spdlog::error("views: {} events lost at shutdown", pending_.size());
}

bool ViewCounter::record(std::string_view id, std::string_view visitor,
                         std::string_view user_agent) {
  if (is_bot(user_agent)) return false;
  std::string key;
  key.reserve(id.size() + 1 + visitor.size());
  key.append(id).append(1, '\n').append(visitor);
  const std::time_t now = std::time(nullptr);

  std::lock_guard lock(mutex_);
  if (now != day_checked_at_) {  // localtime_r at most once a second
    day_checked_at_ = now;
    std::string day = local_day(now);
    if (day != day_) {
      day_ = std::move(day);
      remembered_.clear();
    }
  }
  if (pending_.size() >= kMaxPendingEvents) {
    ++dropped_;
    return true;
  }
  if (remembered_.size() >= kMaxRemembered) remembered_.clear();
  if (!remembered_.insert(std::move(key)).second) return true;
  pending_.push_back({std::string(id), day_, std::string(visitor)});
  if (pending_.size() >= kFlushEvents && !backing_off_) wake_.notify_one();
  return true;
}

void ViewCounter::flush() {
  std::lock_guard flushing(flush_mutex_);
  std::vector<store::ViewEvent> events;
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    events.swap(pending_);
    dropped = std::exchange(dropped_, 0);
  }
  if (dropped > 0) spdlog::error("views: {} events dropped while the store was failing", dropped);
  if (events.empty()) return;

  std::string failure;
  try {
    const auto counted = store_.add_views(events);
    spdlog::debug("views: {} events written, {} counted", events.size(), counted);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }

  std::lock_guard lock(mutex_);
  backing_off_ = !failure.empty();
  if (failure.empty()) return;
  spdlog::warn("views: writing {} events failed, kept for a retry: {}", events.size(), failure);
  // Retried events go first; the newest beyond the cap are dropped.
  events.insert(events.end(), std::make_move_iterator(pending_.begin()),
                std::make_move_iterator(pending_.end()));
  pending_ = std::move(events);
  if (pending_.size() > kMaxPendingEvents) {
    dropped_ += pending_.size() - kMaxPendingEvents;
    pending_.resize(kMaxPendingEvents);
  }
}

void ViewCounter::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] {
      return stopping_ || (pending_.size() >= kFlushEvents && !backing_off_);
    });
    if (stopping_) return;
    lock.unlock();
    flush();
    lock.lock();
  }
}

VisitorId visitor_of(const Request& req) {
  if (auto id = cookie(req, kVisitorCookie); id && is_visitor_id(*id)) return {std::move(*id), ""};
  const std::string ua = user_agent(req);
  return {fmt::format("{}-{:016x}", client_key(req), XXH3_64bits(ua.data(), ua.size())),
          fmt::format("{}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax", kVisitorCookie,
                      new_visitor_id())};
}

}  // namespace wenku::web
