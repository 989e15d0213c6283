// Runs every storage call on one thread of its own, in order, so no caller ever waits on the disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "store/storage.hpp"

namespace ff::store {

class StoreWorker {
public:
    explicit StoreWorker(std::unique_ptr<Storage> storage);
    ~StoreWorker();  // finishes every queued job, then stops

    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Queues `job`; it runs on the storage thread with the storage. Jobs run in the order posted,
    // so a read posted after a write sees it. The job itself hands results back to its caller's thread.
    void post(std::function<void(Storage&)> job);

    // Queues `job` to run once `delay` has passed (a retry timer): then it takes its turn behind the jobs
    // already queued. drain() does not wait for jobs that are not due yet, and a worker being destroyed
    // drops them: a retry that matters again after a restart must be found again from what is on disk.
    void post_after(std::chrono::milliseconds delay, std::function<void(Storage&)> job);

    // Waits until every job posted so far has run (shutdown, tests).
    void drain();

    std::size_t queued() const;

private:
    void run();
    void queue_due_jobs();  // with mutex_ held

    using Deadline = std::chrono::steady_clock::time_point;

    std::unique_ptr<Storage> storage_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void(Storage&)>> jobs_;
    std::multimap<Deadline, std::function<void(Storage&)>> delayed_;  // by due time, then in posting order
    bool busy_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ff::store
