// The storage threads: the write thread runs posted jobs one at a time, in order; each reader thread takes
// the next read once the writes it must see have run. A failing job is logged, never fatal.
#include "store/store_worker.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace ff::store {
namespace {

// The job boundary is an edge: whatever a job throws ends that job only.
void run_guarded(const std::function<void(Storage&)>& job, Storage& storage) {
    try {
        job(storage);
    } catch (const std::exception& error) {
        spdlog::error("storage worker: a job failed: {}", error.what());
    } catch (...) {
        spdlog::error("storage worker: a job failed with an unknown exception");
    }
}

}  // namespace

StoreWorker::StoreWorker(std::unique_ptr<Storage> storage, std::vector<std::unique_ptr<Storage>> readers)
    : storage_(std::move(storage)), readers_(std::move(readers)), thread_([this] { run(); }) {
    for (auto& reader : readers_) reader_threads_.emplace_back([this, &reader] { serve_reads(*reader); });
}

StoreWorker::~StoreWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    // Every write has run now, so every queued read can run too before its thread ends.
    {
        std::lock_guard lock(mutex_);
        reads_stopping_ = true;
    }
    reads_ready_.notify_all();
    for (auto& reader : reader_threads_) reader.join();
}

void StoreWorker::post(std::function<void(Storage&)> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
        ++jobs_queued_;
    }
    wake_.notify_one();
}

void StoreWorker::post_read(std::function<void(Storage&)> job) {
    if (readers_.empty()) return post(std::move(job));
    {
        std::lock_guard lock(mutex_);
        reads_.push_back(Read{jobs_queued_, std::move(job)});
    }
    reads_ready_.notify_one();
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
        ++jobs_queued_;
        delayed_.erase(delayed_.begin());
    }
}

bool StoreWorker::idle() const {
    return jobs_.empty() && !busy_ && reads_.empty() && reads_running_ == 0;
}

void StoreWorker::drain() {
    // A job that drains would wait for itself.
    const auto self = std::this_thread::get_id();
    if (self == thread_.get_id()) return;
    if (std::any_of(reader_threads_.begin(), reader_threads_.end(),
                    [self](const std::thread& reader) { return reader.get_id() == self; }))
        return;
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return idle(); });
}

std::size_t StoreWorker::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void StoreWorker::run() {
    pthread_setname_np(pthread_self(), "ff-store");
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
        run_guarded(job, *storage_);
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
            ++jobs_finished_;
            if (idle()) idle_.notify_all();
        }
        reads_ready_.notify_all();
    }
}

void StoreWorker::serve_reads(Storage& reader) {
    pthread_setname_np(pthread_self(), "ff-store-read");
    for (;;) {
        std::function<void(Storage&)> job;
        {
            std::unique_lock lock(mutex_);
            reads_ready_.wait(lock, [this] {
                return (!reads_.empty() && reads_.front().after <= jobs_finished_) ||
                       (reads_stopping_ && reads_.empty());
            });
            if (reads_.empty()) return;  // stopping, and every read has run
            job = std::move(reads_.front().job);
            reads_.pop_front();
            ++reads_running_;
        }
        run_guarded(job, reader);
        {
            std::lock_guard lock(mutex_);
            --reads_running_;
            if (idle()) idle_.notify_all();
        }
    }
}

}  // namespace ff::store
