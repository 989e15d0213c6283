// The store worker's retry timer: jobs posted to run later, with a real SQLite storage.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <vector>

#include "store/store_worker.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::TempDir;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<Storage> open_in(const TempDir& dir) {
    auto opened = open_storage("sqlite:" + (dir.path() / "calls.db").string());
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(opened).value();
}

}  // namespace

TEST(StoreWorkerDelayed, a_delayed_job_runs_after_its_delay_and_after_jobs_posted_before_it_is_due) {
    TempDir dir;
    StoreWorker worker(open_in(dir));
    std::vector<int> order;  // the worker's thread only, until the promise is kept
    std::promise<void> done;
    const auto posted = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point ran_at;
    worker.post_after(150ms, [&](Storage&) {
        ran_at = std::chrono::steady_clock::now();
        order.push_back(3);
        done.set_value();
    });
    worker.post_after(50ms, [&](Storage&) { order.push_back(2); });
    worker.post([&](Storage&) { order.push_back(1); });
    ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_GE(ran_at - posted, 150ms);
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(StoreWorkerDelayed, drain_does_not_wait_for_jobs_not_due_and_a_stopping_worker_drops_them) {
    TempDir dir;
    bool ran = false;
    {
        StoreWorker worker(open_in(dir));
        worker.post_after(1h, [&ran](Storage&) { ran = true; });
        const auto before = std::chrono::steady_clock::now();
        worker.drain();
        EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    }  // the destructor does not wait an hour either
    EXPECT_FALSE(ran);
}
