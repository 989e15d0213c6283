// Reads right after a real PostgreSQL 15 was stopped (pg_ctl stop) and started again: each connection only
// learns that its session is gone from its next statement, and a read must answer from the database that
// is back rather than fail (which the API would answer with 503 DATABASE_UNAVAILABLE).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/postgres/postgres_storage.hpp"
#include "store/store_worker.hpp"
#include "support/captured_log.hpp"
#include "support/postgres_server.hpp"
#include "support/read_value.hpp"
#include "support/sample_calls.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::CapturedLog;
using ff::testing::numbered_ended_call;
using ff::testing::PostgresServer;
using ff::testing::read_value;

namespace {

// Brings the server back even when an assertion ends the test early, for the next test of the process.
struct BringBackAtEnd {
    ~BringBackAtEnd() { (void)PostgresServer::instance().bring_back(); }
};

void restart_server() {
    ASSERT_TRUE(PostgresServer::instance().take_down());
    ASSERT_TRUE(PostgresServer::instance().bring_back());
}

TEST(ReadsAfterOutage, every_read_of_the_storage_answers_from_the_database_once_it_is_back) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    auto storage = postgres::PostgresStorage::open(url.value());
    ASSERT_TRUE(storage) << storage.error().message;
    auto& database = *storage.value();
    const calls::Call call = numbered_ended_call(1);
    ASSERT_TRUE(database.record_call(call));
    ASSERT_TRUE(database.insert_token(TokenRecord{"token-1", "console", "operator", "1001",
                                                  std::string(64, 'a'), calls::now_ms(), std::nullopt}));
    BringBackAtEnd bring_back_at_end;

    // Each read below is the first statement after its own restart: every one must find the session gone.
    restart_server();
    auto page = database.list_calls(CallQuery{});
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page.value().calls.size(), 1u);
    EXPECT_EQ(page.value().calls.front().id, call.id);

    restart_server();
    auto found = database.find_call(call.id);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_TRUE(found.value().has_value());

    restart_server();
    auto stats = database.stats(
        StatsQuery{"1001", calls::now_ms() - std::chrono::hours(1), calls::now_ms() + std::chrono::hours(1)});
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ(stats.value().total_calls, 1);

    restart_server();
    auto tokens = database.list_tokens();
    ASSERT_TRUE(tokens) << tokens.error().message;
    EXPECT_EQ(tokens.value().size(), 1u);

    restart_server();
    auto settings = database.load_pbx_settings();
    ASSERT_TRUE(settings) << settings.error().message;
}

TEST(ReadsAfterOutage, reads_on_reader_connections_right_after_the_database_returns_see_the_log) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    auto writer = open_storage(url.value());
    ASSERT_TRUE(writer) << writer.error().message;
    constexpr int readers = 3;
    StoreWorker worker(std::move(writer).value(), open_readers(url.value(), readers));
    ASSERT_EQ(worker.reader_count(), static_cast<std::size_t>(readers));
    const calls::Call call = numbered_ended_call(2);
    worker.post([call](Storage& storage) { ASSERT_TRUE(storage.record_call(call)); });
    worker.drain();
    BringBackAtEnd bring_back_at_end;
    restart_server();

    // As many reads at once as there are connections, so that each reader meets its dropped session; a read
    // that failed would be logged and answer its error.
    CapturedLog log;
    std::vector<std::promise<std::int64_t>> listed(readers * 2);
    for (auto& answer : listed)
        worker.post_read([&answer](Storage& storage) {
            answer.set_value(read_value(storage.list_calls(CallQuery{})).total);
        });
    for (auto& answer : listed) EXPECT_EQ(answer.get_future().get(), 1);
    worker.drain();
    EXPECT_EQ(log.text().find("error"), std::string::npos) << log.text();
}

}  // namespace
