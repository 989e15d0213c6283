// Reads on their own connections: they see every write posted before them, never hold up the writes posted
// after them, and run side by side; on a real SQLite file and a real PostgreSQL database.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

#include "store/store_worker.hpp"
#include "support/captured_log.hpp"
#include "support/read_value.hpp"
#include "support/sample_calls.hpp"
#include "support/storage_backends.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::Backend;
using ff::testing::CapturedLog;
using ff::testing::numbered_ended_call;
using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

constexpr auto patience = std::chrono::seconds(10);

class StoreWorkerReads : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        auto url = ff::testing::fresh_storage_url(GetParam(), dir_);
        ASSERT_TRUE(url) << url.error().message;
        url_ = url.value();
    }

    std::unique_ptr<StoreWorker> open_worker(int readers) {
        auto writer = open_storage(url_);
        if (!writer) throw std::runtime_error(writer.error().message);
        auto worker = std::make_unique<StoreWorker>(std::move(writer).value(), open_readers(url_, readers));
        EXPECT_EQ(worker->reader_count(), static_cast<std::size_t>(readers));
        return worker;
    }

    TempDir dir_;
    std::string url_;
};

TEST_P(StoreWorkerReads, a_read_sees_every_write_posted_before_it) {
    auto worker = open_worker(2);
    std::vector<std::promise<bool>> found(200);
    for (int i = 0; i < 200; ++i) {
        const calls::Call call = numbered_ended_call(i);
        worker->post([call](Storage& storage) { ASSERT_TRUE(storage.record_call(call)); });
        worker->post_read([&found, i, id = call.id](Storage& storage) {
            found[static_cast<std::size_t>(i)].set_value(read_value(storage.find_call(id)).has_value());
        });
    }
    for (int i = 0; i < 200; ++i)
        EXPECT_TRUE(found[static_cast<std::size_t>(i)].get_future().get()) << "call " << i;
}

TEST_P(StoreWorkerReads, a_slow_read_does_not_hold_up_the_writes_posted_after_it) {
    auto worker = open_worker(1);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> read_started;
    worker->post_read([&read_started, released](Storage& storage) {
        read_value(storage.list_calls(CallQuery{}));
        read_started.set_value();
        released.wait();  // a long report
    });
    read_started.get_future().wait();
    std::promise<bool> written;
    worker->post([&written](Storage& storage) {
        written.set_value(bool(storage.record_call(numbered_ended_call(1))));
    });
    auto write_done = written.get_future();
    ASSERT_EQ(write_done.wait_for(patience), std::future_status::ready) << "the write waited for the read";
    EXPECT_TRUE(write_done.get());
    release.set_value();
    worker->drain();
}

TEST_P(StoreWorkerReads, reads_run_side_by_side_on_their_own_connections) {
    auto worker = open_worker(2);
    std::promise<void> first_in, second_in;
    std::shared_future<void> first = first_in.get_future().share(), second = second_in.get_future().share();
    std::promise<bool> first_saw_second, second_saw_first;
    // Each read waits for the other to have started: they can only both finish if they run at once.
    worker->post_read([&](Storage& storage) {
        read_value(storage.list_calls(CallQuery{}));
        first_in.set_value();
        first_saw_second.set_value(second.wait_for(patience) == std::future_status::ready);
    });
    worker->post_read([&](Storage& storage) {
        read_value(storage.list_calls(CallQuery{}));
        second_in.set_value();
        second_saw_first.set_value(first.wait_for(patience) == std::future_status::ready);
    });
    EXPECT_TRUE(first_saw_second.get_future().get());
    EXPECT_TRUE(second_saw_first.get_future().get());
    worker->drain();
}

TEST_P(StoreWorkerReads, reads_still_queued_run_before_the_worker_stops) {
    int answered = 0;  // read after the worker is gone, which joins its threads
    {
        auto worker = open_worker(1);
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        worker->post([released](Storage&) { released.wait(); });  // the reads must wait for this write
        for (int i = 0; i < 20; ++i)
            worker->post_read([&answered](Storage& storage) {
                read_value(storage.list_calls(CallQuery{}));
                ++answered;
            });
        release.set_value();
    }
    EXPECT_EQ(answered, 20);
}

// Statistics read side by side while calls are written: every read counts at least the calls posted before
// it (later ones may be in too), and none fails (a failed query would be logged and answered as zeros).
TEST_P(StoreWorkerReads, statistics_read_while_calls_are_written_count_every_earlier_call) {
    CapturedLog log;
    auto worker = open_worker(2);
    constexpr int rounds = 150;
    std::vector<std::promise<std::int64_t>> counted(rounds);
    StatsQuery query{"1001", calls::now_ms() - std::chrono::hours(1),
                     calls::now_ms() + std::chrono::hours(1)};
    for (int i = 0; i < rounds; ++i) {
        const calls::Call call = numbered_ended_call(i);
        worker->post([call](Storage& storage) {
            ASSERT_TRUE(storage.record_call(call));
            ASSERT_TRUE(storage.link_order(call.id, "order-" + call.id));
        });
        worker->post_read([&counted, i, query](Storage& storage) {
            counted[static_cast<std::size_t>(i)].set_value(
                read_value(storage.stats(query)).calls_with_orders);
        });
    }
    for (int i = 0; i < rounds; ++i)
        EXPECT_GE(counted[static_cast<std::size_t>(i)].get_future().get(), i + 1) << "read " << i;
    worker->drain();
    EXPECT_EQ(log.text().find("error"), std::string::npos) << log.text();
}

FF_STORAGE_BACKENDS(StoreWorkerReads);

TEST(StoreReaders, an_in_memory_database_gets_no_reader_connections) {
    EXPECT_TRUE(open_readers("sqlite::memory:", 4).empty());
}

TEST(StoreReaders, without_readers_a_read_runs_on_the_write_connection_in_turn) {
    auto writer = open_storage("sqlite::memory:");
    ASSERT_TRUE(writer) << writer.error().message;
    StoreWorker worker(std::move(writer).value());
    const calls::Call call = numbered_ended_call(7);
    worker.post([call](Storage& storage) { ASSERT_TRUE(storage.record_call(call)); });
    bool found = false;
    worker.post_read(
        [&found, id = call.id](Storage& storage) { found = read_value(storage.find_call(id)).has_value(); });
    worker.drain();
    EXPECT_TRUE(found);
}

}  // namespace
