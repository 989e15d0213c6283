// Runs every storage call off the caller's thread, so no caller ever waits on the disk: writes on one
// thread, in order; reads on a small pool of their own connections, so a long report never holds up the
// call log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/storage.hpp"

namespace ff::store {

class StoreWorker {
  public:
    // `readers` are further connections to the same database, each served by a thread of its own; with
    // none, reads run on the write thread in turn.
    explicit StoreWorker(std::unique_ptr<Storage> storage,
                         std::vector<std::unique_ptr<Storage>> readers = {});
    ~StoreWorker();  // finishes every queued job and read, then stops

    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Queues `job`; it runs on the storage thread with the storage. Jobs run in the order posted,
    // so a read posted after a write sees it. The job itself hands results back to its caller's thread.
    void post(std::function<void(Storage&)> job);

    // Queues a job that only reads. It runs on a reader connection once every job posted before it has
    // run, so it still sees every earlier write, but it no longer delays the writes posted after it.
    void post_read(std::function<void(Storage&)> job);

    // Queues `job` to run once `delay` has passed (a retry timer): then it takes its turn behind the jobs
    // already queued. drain() does not wait for jobs that are not due yet, and a worker being destroyed
    // drops them: a retry that matters again after a restart must be found again from what is on disk.
    void post_after(std::chrono::milliseconds delay, std::function<void(Storage&)> job);

    // Waits until every job and read posted so far has run (shutdown, tests).
    void drain();

    // Jobs waiting for the write thread.
    std::size_t queued() const;
    std::size_t reader_count() const { return readers_.size(); }

  private:
    struct Read {
        std::uint64_t after;  // runs once this many jobs have finished
        std::function<void(Storage&)> job;
    };

    void run();
    void serve_reads(Storage& reader);
    void queue_due_jobs();  // with mutex_ held
    bool idle() const;      // with mutex_ held

    using Deadline = std::chrono::steady_clock::time_point;

    std::unique_ptr<Storage> storage_;
    std::vector<std::unique_ptr<Storage>> readers_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable reads_ready_;
    std::condition_variable idle_;
    std::deque<std::function<void(Storage&)>> jobs_;
    std::multimap<Deadline, std::function<void(Storage&)>> delayed_;  // by due time, then in posting order
    std::deque<Read> reads_;
    std::uint64_t jobs_queued_ = 0;    // jobs ever put in jobs_
    std::uint64_t jobs_finished_ = 0;  // of those, how many have run
    bool busy_ = false;
    int reads_running_ = 0;
    bool stopping_ = false;
    bool reads_stopping_ = false;
    std::thread thread_;
    std::vector<std::thread> reader_threads_;
};

}  // namespace ff::store
