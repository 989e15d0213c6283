// The storage thread and the call-log writer, with a real SQLite file, a real event bus and call registry.
#include "support/captured_log.hpp"
#include "support/temp_dir.hpp"
#include "store/store_worker.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "calls/call_registry.hpp"
#include "store/call_log_writer.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;

using ff::testing::TempDir;

using ff::testing::CapturedLog;

using ff::testing::read_value;

namespace {

std::unique_ptr<Storage> open_in(const TempDir& dir) {
    auto opened = open_storage("sqlite:" + (dir.path() / "calls.db").string());
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(opened).value();
}

// Reads a call through the worker, after everything posted before it, as the REST layer will.
std::optional<calls::Call> read_call(StoreWorker& worker, const std::string& id) {
    std::optional<calls::Call> found;
    worker.post([&found, id](Storage& storage) { found = read_value(storage.find_call(id)); });
    worker.drain();
    return found;
}

}  // namespace

TEST(StoreWorker, runs_jobs_in_the_order_posted_and_drain_waits_for_all) {
    TempDir dir;
    StoreWorker worker(open_in(dir));
    std::vector<int> order;  // touched only by the worker thread until drain() returns
    for (int i = 0; i < 1000; ++i) worker.post([&order, i](Storage&) { order.push_back(i); });
    worker.drain();
    ASSERT_EQ(order.size(), 1000u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(order[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(worker.queued(), 0u);
}

TEST(StoreWorker, jobs_run_off_the_posting_thread) {
    TempDir dir;
    StoreWorker worker(open_in(dir));
    std::thread::id job_thread;
    worker.post([&job_thread](Storage&) { job_thread = std::this_thread::get_id(); });
    worker.drain();
    EXPECT_NE(job_thread, std::thread::id{});
    EXPECT_NE(job_thread, std::this_thread::get_id());
}

TEST(StoreWorker, a_throwing_job_is_logged_and_the_next_job_still_runs) {
    CapturedLog log;
    TempDir dir;
    StoreWorker worker(open_in(dir));
    bool ran_after = false;
    worker.post([](Storage&) { throw std::runtime_error("disk on fire"); });
    worker.post([](Storage&) { throw 42; });
    worker.post([&ran_after](Storage&) { ran_after = true; });
    worker.drain();
    EXPECT_TRUE(ran_after);
    EXPECT_NE(log.text().find("disk on fire"), std::string::npos) << log.text();
}

TEST(StoreWorker, destructor_finishes_queued_jobs_before_stopping) {
    TempDir dir;
    std::promise<void> gate;
    std::shared_future<void> opened = gate.get_future().share();
    int ran = 0;
    {
        StoreWorker worker(open_in(dir));
        worker.post([opened](Storage&) { opened.wait(); });  // holds the thread while jobs queue up
        for (int i = 0; i < 50; ++i) worker.post([&ran](Storage&) { ++ran; });
        EXPECT_GE(worker.queued(), 50u);
        gate.set_value();
    }
    EXPECT_EQ(ran, 50);
}

TEST(CallLogWriter, writes_the_final_state_of_a_call_from_registry_events) {
    TempDir dir;
    StoreWorker worker(open_in(dir));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker);
    calls::CallRegistry registry(bus);

    calls::Call call;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.sip_call_id = "abc@pbx";
    call.customer = calls::Customer{"cust-1", "Иван Иванов", "+79991234567"};
    const auto created = registry.create(call);
    ASSERT_TRUE(created);
    const std::string id = created->id;
    const calls::TimePoint answered_at = created->start_time + std::chrono::seconds(4);
    const calls::TimePoint ended_at = answered_at + std::chrono::seconds(75);
    ASSERT_TRUE(registry.apply(id, calls::transition::Ringing{}));
    ASSERT_TRUE(registry.apply(id, calls::transition::Answered{answered_at}));
    // The CRM's changes to an active call are the API's to store: the writer leaves them alone.
    ASSERT_TRUE(registry.update(id, [](calls::Call& active) {
        active.orders.push_back(calls::OrderLink{"order-1", calls::now_ms()});
    }));
    ASSERT_TRUE(registry.apply(id, calls::transition::Ended{calls::EndReason::completed, ended_at}));
    worker.drain();

    EXPECT_EQ(writer.writes(), 4u);  // new, ringing, answered, ended
    EXPECT_EQ(writer.failures(), 0u);
    const auto stored = read_call(worker, id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->status, calls::CallStatus::ended);
    EXPECT_EQ(stored->end_reason, calls::EndReason::completed);
    EXPECT_EQ(stored->start_time, created->start_time);
    EXPECT_EQ(stored->answer_time, answered_at);
    EXPECT_EQ(stored->end_time, ended_at);
    EXPECT_EQ(stored->sip_call_id, "abc@pbx");
    EXPECT_EQ(stored->from, "+79991234567");
    EXPECT_EQ(stored->extension, "1001");
    ASSERT_TRUE(stored->customer);
    EXPECT_EQ(stored->customer->name, "Иван Иванов");
    EXPECT_TRUE(stored->orders.empty());
}

TEST(CallLogWriter, failed_write_is_counted_and_logged_by_call_id_without_customer_data) {
    CapturedLog log;
    TempDir dir;
    StoreWorker worker(open_in(dir));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker);
    calls::CallRegistry registry(bus);

    // Someone broke the database behind the service's back.
    sqlite3* database = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "calls.db").c_str(), &database), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(database, "DROP TABLE call_orders; DROP TABLE call_notes; DROP TABLE calls;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(database);
    sqlite3_close(database);

    calls::Call call;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.customer = calls::Customer{"cust-1", "Иван Иванов", "+79991234567"};
    const auto created = registry.create(call);
    ASSERT_TRUE(created);
    worker.drain();

    EXPECT_EQ(writer.failures(), 1u);
    EXPECT_EQ(writer.writes(), 0u);
    const std::string text = log.text();
    EXPECT_NE(text.find(created->id), std::string::npos) << text;
    EXPECT_EQ(text.find("Иван"), std::string::npos) << text;
    EXPECT_EQ(text.find("+79991234567"), std::string::npos) << text;
}

TEST(CallLogWriter, events_after_the_writer_is_gone_are_ignored) {
    TempDir dir;
    StoreWorker worker(open_in(dir));
    calls::EventBus bus;
    calls::CallRegistry registry(bus);
    { CallLogWriter writer(bus, worker); }
    const auto created = registry.create(calls::Call{});
    ASSERT_TRUE(created);
    worker.drain();
    EXPECT_FALSE(read_call(worker, created->id));
}
