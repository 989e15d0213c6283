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
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, and every job has run
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
