// The serving model of `wenku serve`: one writer process that follows the store, and
// pre-forked worker processes that answer HTTP on a shared port (docs/architecture.md,
// "Serving model").
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "app/library.h"

namespace wenku::app {

// Keeps the index following the store's change sequence while the server runs, so that
// documents written by another process (`wenku import`, a worker's upload, another node on
// the same PostgreSQL database) become searchable within milliseconds where the store tells of
// changes (DocumentStore::watch_changes) and within about a second where it does not; after
// indexing new documents (and once at its start) it refreshes the library's keywords when
// keywords_stale says they need it (every process's uploads then load the new word frequencies:
// Enricher::reload_frequencies). Runs one thread; `library` must be the index writer.
class IndexFollower {
 public:
  explicit IndexFollower(Library& library);
  // Stops the thread (waiting for a round in progress to finish).
  ~IndexFollower();
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Waits until the thread is between two rounds and keeps it there while the returned lock
  // is held: fork() copies only the calling thread, so a child forked while this thread is
  // inside SQLite or Groonga could find their locks held forever.
  std::unique_lock<std::mutex> pause();

 private:
  void loop(Library& library);
  void refresh_keywords_when_stale(Library& library);
  // Called by the store's change watch: starts a round now.
  void poke();

  std::mutex mutex_;  // held by the thread while it works
  std::condition_variable wake_;
  bool stop_ = false;
  bool poked_ = false;  // a change was announced since the last round began
  std::thread thread_;
  std::unique_ptr<store::ChangeWatch> watch_;  // nullptr when the store cannot tell
};

// The number of CPUs this process may run on (its affinity mask, so `taskset -c 1` gives 1).
unsigned available_cpus();

struct WorkerOptions {
  unsigned workers = 2;
  // Runs in each worker process, a fork of the parent: serves until SIGTERM or SIGINT,
  // calling `listening` once it accepts connections, and returns the process's exit status.
  // It must open its own store connection and index (the parent's SQLite connection and
  // Groonga context must not be used across fork); memory-only objects of the parent (the
  // segmenter, place names) may be shared. Throwing before `listening` means the worker
  // cannot start (e.g. the address is taken), which stops the whole server.
  std::function<int(const std::function<void()>& listening)> serve;
  // Runs in the parent once every worker of the first round is listening.
  std::function<void()> on_listening;
};

// Forks `options.workers` processes running `options.serve`, then runs an IndexFollower for
// `library` (whose index this process writes) and supervises the workers until SIGTERM or
// SIGINT: a worker that dies is forked again (at once, or after a back-off of 0.1 s doubling
// up to 10 s while it keeps dying within seconds of its start); the signal is forwarded as
// SIGTERM to every worker, and the call returns once all have exited (SIGKILL after 10 s).
// Workers get SIGTERM when the parent dies. Must be called while this process runs no other
// thread (throws std::logic_error otherwise). Returns 0 after a requested stop that every
// worker ended cleanly (exit status 0), 1 when a worker could not start or did not end
// cleanly when stopped (said on stderr).
int run_workers(Library& library, const WorkerOptions& options);

}  // namespace wenku::app
