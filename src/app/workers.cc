#include "app/workers.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "app/ingest.h"

namespace wenku::app {

IndexFollower::IndexFollower(Library& library) : thread_([this, &library] { loop(library); }) {
  watch_ = library.store().watch_changes([this] { poke(); });
}

IndexFollower::~IndexFollower() {
  watch_.reset();  // no poke after this
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::unique_lock<std::mutex> IndexFollower::pause() { return std::unique_lock(mutex_); }

void IndexFollower::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

void IndexFollower::loop(Library& library) {
  constexpr auto kPollEvery = std::chrono::seconds(1);
  std::unique_lock lock(mutex_);
  bool first_round = true;
  for (;;) {
    wake_.wait_for(lock, kPollEvery, [this] { return stop_ || poked_; });
    if (stop_) return;
    poked_ = false;
    try {
      const bool changed = library.store().last_seq() > library.index().applied_seq();
      if (changed) library.index().catch_up(library.store());
      if (changed || first_round) refresh_keywords_when_stale(library);
      first_round = false;
    } catch (const std::exception& e) {
      fmt::print(stderr, "index follower: {}\n", e.what());
    }
  }
}

void IndexFollower::refresh_keywords_when_stale(Library& library) {
  const auto start = std::chrono::steady_clock::now();
  const auto counted = refresh_stale_keywords(library.store(), library.enricher());
  if (!counted) return;
  fmt::print(stderr, "keywords refreshed with word frequencies over {} documents in {:.1f} s\n",
             *counted,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

unsigned available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
}

namespace {

using Clock = std::chrono::steady_clock;

// Exit status of a worker that failed before it listened.
constexpr int kCannotStart = 3;
// A worker dying sooner than this after its start counts as failing, and is forked again
// only after a back-off doubling from kFirstBackoff up to kMaxBackoff.
constexpr auto kHealthyAfter = std::chrono::seconds(5);
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::seconds(10);
// Workers still running this long after SIGTERM get SIGKILL.
constexpr auto kStopGrace = std::chrono::seconds(10);

std::system_error os_error(std::string_view what) {
  return {errno, std::generic_category(), std::string(what)};
}

// Threads of this process (fork copies only the calling one).
std::size_t thread_count() {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

struct Slot {
  pid_t pid = 0;  // 0: not running
  Clock::time_point started{};
  Clock::time_point restart_at{};
  int quick_deaths = 0;  // deaths in a row within kHealthyAfter of the start
};

// Everything the supervising parent holds; the worker side runs in `become_worker`.
class Supervisor {
 public:
  Supervisor(Library& library, const WorkerOptions& options)
      : library_(library), options_(options), slots_(std::max(1u, options.workers)) {}

  int run() {
    // A thread that was just joined may still be listed for a moment.
    for (int wait = 0; thread_count() > 1; ++wait) {
      if (wait == 100) {
        throw std::logic_error(
            "run_workers: the process already runs threads; fork would lose them");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    sigset_t handled;
    sigemptyset(&handled);
    for (int s : {SIGCHLD, SIGTERM, SIGINT}) sigaddset(&handled, s);
    if (sigprocmask(SIG_BLOCK, &handled, &original_mask_) != 0) throw os_error("sigprocmask");
    signals_ = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signals_ < 0 || pipe2(ready_, O_CLOEXEC) != 0) throw os_error("signalfd/pipe");
    for (auto& slot : slots_) start(slot);
    follower_.emplace(library_);  // only now: no thread may exist while forking above
    loop();
    follower_.reset();
    ::close(signals_);
    ::close(ready_[0]);
    ::close(ready_[1]);
    sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
    return status_;
  }

 private:
  void start(Slot& slot) {
    std::optional<std::unique_lock<std::mutex>> paused;
    if (follower_) paused.emplace(follower_->pause());
    std::fflush(stdout);  // else the child would write the parent's buffered output again
    std::fflush(stderr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) throw os_error("fork");
    if (pid == 0) become_worker(parent);
    slot.pid = pid;
    slot.started = Clock::now();
  }

  [[noreturn]] void become_worker(pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(0);  // the parent died before prctl
    ::close(signals_);
    ::close(ready_[0]);
    sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
    int status = kCannotStart;
    bool listening = false;
    try {
      status = options_.serve([this, &listening] {
        listening = true;
        [[maybe_unused]] auto written = ::write(ready_[1], "+", 1);
      });
    } catch (const std::exception& e) {
      fmt::print(stderr, "worker {}: {}\n", getpid(), e.what());
      status = listening ? 1 : kCannotStart;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    // Without destructors: the parent's objects copied into this process (its Library,
    // holding the index writer's lock file and Groonga database) belong to the parent.
    _exit(status);
  }

  void loop() {
    std::size_t listening = 0;
    std::optional<Clock::time_point> kill_at;
    for (;;) {
      if (kill_at && running() == 0) return;
      pollfd fds[] = {{signals_, POLLIN, 0}, {ready_[0], POLLIN, 0}};
      if (::poll(fds, 2, timeout_ms(kill_at)) < 0 && errno != EINTR) throw os_error("poll");
      if (fds[1].revents & POLLIN) {
        char bytes[64];
        auto n = ::read(ready_[0], bytes, sizeof bytes);
        if (n > 0 && listening < slots_.size()) {
          listening += static_cast<std::size_t>(n);
          if (listening >= slots_.size() && options_.on_listening) options_.on_listening();
        }
      }
      signalfd_siginfo info{};
      while (::read(signals_, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGCHLD) {
          reap(kill_at.has_value());
        } else if ((info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) && !kill_at) {
          fmt::print(stderr, "signal {}: stopping {} workers\n", info.ssi_signo, running());
          kill_at = stop_all();
        }
      }
      if (status_ != 0 && !kill_at) kill_at = stop_all();
      if (kill_at && Clock::now() >= *kill_at) {
        for (auto& slot : slots_) {
          if (slot.pid > 0) ::kill(slot.pid, SIGKILL);
        }
        kill_at = Clock::now() + std::chrono::seconds(1);  // then wait for SIGCHLD
      }
      if (kill_at) continue;
      for (auto& slot : slots_) {
        if (slot.pid == 0 && Clock::now() >= slot.restart_at) start(slot);
      }
    }
  }

  // Collects every exited worker and schedules its replacement.
  void reap(bool stopping) {
    int wstatus = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &wstatus, WNOHANG)) > 0) {
      auto slot = std::ranges::find(slots_, pid, &Slot::pid);
      if (slot == slots_.end()) continue;
      slot->pid = 0;
      if (stopping) {
        // A worker that did not end cleanly when told to stop (crashed while closing, or
        // killed after the grace period) makes the stop unclean.
        if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
          fmt::print(stderr, "worker {} {} {} while stopping\n", pid,
                     WIFSIGNALED(wstatus) ? "killed by signal" : "exited with status",
                     WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
          status_ = 1;
        }
        continue;
      }
      if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == kCannotStart) {
        fmt::print(stderr, "worker {} could not start; stopping\n", pid);
        status_ = 1;
        continue;
      }
      const auto now = Clock::now();
      slot->quick_deaths = now - slot->started < kHealthyAfter ? slot->quick_deaths + 1 : 0;
      auto backoff = std::chrono::duration_cast<Clock::duration>(kFirstBackoff);
      for (int i = 1; i < slot->quick_deaths && backoff < kMaxBackoff; ++i) backoff *= 2;
      slot->restart_at =
          slot->quick_deaths == 0 ? now : now + std::min<Clock::duration>(backoff, kMaxBackoff);
      fmt::print(stderr, "worker {} {} {}; starting another\n", pid,
                 WIFSIGNALED(wstatus) ? "killed by signal" : "exited with status",
                 WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
    }
  }

  Clock::time_point stop_all() {
    for (auto& slot : slots_) {
      if (slot.pid > 0) ::kill(slot.pid, SIGTERM);
    }
    return Clock::now() + kStopGrace;
  }

  std::size_t running() const {
    return static_cast<std::size_t>(
        std::ranges::count_if(slots_, [](auto& s) { return s.pid > 0; }));
  }

  // Milliseconds until the next thing to do without a signal: a restart or SIGKILL.
  int timeout_ms(const std::optional<Clock::time_point>& kill_at) const {
    std::optional<Clock::time_point> next = kill_at;
    if (!kill_at) {
      for (const auto& slot : slots_) {
        if (slot.pid == 0 && (!next || slot.restart_at < *next)) next = slot.restart_at;
      }
    }
    if (!next) return -1;
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(ms, 0, 60'000));
  }

  Library& library_;
  const WorkerOptions& options_;
  std::vector<Slot> slots_;
  std::optional<IndexFollower> follower_;
  sigset_t original_mask_{};
  int signals_ = -1;
  int ready_[2] = {-1, -1};
  int status_ = 0;
};

}  // namespace

int run_workers(Library& library, const WorkerOptions& options) {
  return Supervisor(library, options).run();
}

}  // namespace wenku::app
