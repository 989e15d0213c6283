// The storage thread: runs posted jobs one at a time, in order; a failing job is logged, never fatal.
#include "store/store_worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace ff::store {

StoreWorker::StoreWorker(std::unique_ptr<Storage> storage)
    : storage_(std::move(storage)), thread_([this] { run(); }) {}

StoreWorker::~StoreWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void StoreWorker::post(std::function<void(Storage&)> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void StoreWorker::post_after(std::chrono::milliseconds delay, std::function<void(Storage&)> job) {
    {
        std::lock_guard lock(mutex_);
        delayed_.emplace(std::chrono::steady_clock::now() + delay, std::move(job));
    }
    wake_.notify_one();
}

void StoreWorker::queue_due_jobs() {
    const auto now = std::chrono::steady_clock::now();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
        jobs_.push_back(std::move(delayed_.begin()->second));
        delayed_.erase(delayed_.begin());
    }
}

void StoreWorker::drain() {
    // A job that drains would wait for itself.
    if (std::this_thread::get_id() == thread_.get_id()) return;
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

std::size_t StoreWorker::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void StoreWorker::run() {
    for (;;) {
        std::function<void(Storage&)> job;
        {
            std::unique_lock lock(mutex_);
            for (;;) {
                queue_due_jobs();
                if (!jobs_.empty() || stopping_) break;
                if (delayed_.empty()) {
                    wake_.wait(lock);
                } else {
                    wake_.wait_until(lock, delayed_.begin()->first);
                }
            }
            if (jobs_.empty()) return;  // stopping, and every job has run (jobs not due yet are dropped)
            job = std::move(jobs_.front());
            jobs_.pop_front();
            busy_ = true;
        }
        // The job boundary is an edge: whatever a job throws ends that job only.
        try {
            job(*storage_);
        } catch (const std::exception& error) {
            spdlog::error("storage worker: a job failed: {}", error.what());
        } catch (...) {
            spdlog::error("storage worker: a job failed with an unknown exception");
        }
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
            if (jobs_.empty()) idle_.notify_all();
        }
    }
}

}  // namespace ff::store
