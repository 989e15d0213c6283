// The call-log writer against a real PostgreSQL 15 that goes away (pg_ctl stop) while calls change and comes
// back: records wait in the spool on disk, are written in order, each call once, with its last state.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "calls/call_registry.hpp"
#include "store/call_log_spool.hpp"
#include "store/call_log_writer.hpp"
#include "support/captured_log.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"
#include "wire/call_json.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::PostgresServer;
using ff::testing::TempDir;
using namespace std::chrono_literals;

using ff::testing::CapturedLog;

namespace {

std::unique_ptr<Storage> open_url(const std::string& url) {
    auto opened = open_storage(url);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(opened).value();
}

CallLogWriterOptions spool_in(const TempDir& dir) {
    CallLogWriterOptions options;
    options.spool_path = dir.path() / "spool" / "call-log.jsonl";
    options.backend = "PostgreSQL";
    options.first_retry = 50ms;
    options.max_retry = 200ms;
    return options;
}

// Waits for the writer's cached state to say ok, up to `limit`: the retry timer decides when.
bool becomes_ok(const CallLogWriter& writer, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (writer.health().ok()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return writer.health().ok();
}

struct Row {
    std::string status;
    std::string end_reason;
    std::string end_ms;
    int copies = 0;
};

// The calls table as the database holds it, read from outside the service: id -> row, with how many
// rows carry that id.
std::map<std::string, Row> stored_rows(const std::string& url) {
    PGconn* connection = PQconnectdb(url.c_str());
    std::map<std::string, Row> rows;
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string error = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error(error);
    }
    PGresult* result = PQexec(connection,
                              "SELECT id, status, coalesce(end_reason, ''), coalesce(end_ms::text, ''), "
                              "count(*) OVER (PARTITION BY id) FROM calls");
    for (int row = 0; row < PQntuples(result); ++row) {
        rows[PQgetvalue(result, row, 0)] =
            Row{PQgetvalue(result, row, 1), PQgetvalue(result, row, 2), PQgetvalue(result, row, 3),
                std::stoi(PQgetvalue(result, row, 4))};
    }
    PQclear(result);
    PQfinish(connection);
    return rows;
}

calls::Call inbound(const std::string& from, const std::string& extension) {
    calls::Call call;
    call.from = from;
    call.to = extension;
    call.extension = extension;
    return call;
}

std::string ms_text(const std::optional<calls::TimePoint>& time) {
    return time ? std::to_string(time->time_since_epoch().count()) : "";
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

// Brings the server back even when an assertion ends the test early, for the next test of the process.
struct BringBackAtEnd {
    ~BringBackAtEnd() { (void)PostgresServer::instance().bring_back(); }
};

}  // namespace

TEST(CallLogOutage,
     records_made_while_postgres_is_stopped_are_written_once_it_returns_each_call_once_with_its_last_state) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker, spool_in(dir));
    calls::CallRegistry registry(bus);

    // Before the outage: two calls ring and one is answered.
    const auto first = registry.create(inbound("+79990000001", "1001"));
    const auto second = registry.create(inbound("+79990000002", "1002"));
    ASSERT_TRUE(first && second);
    ASSERT_TRUE(registry.apply(first->id, calls::transition::Ringing{}));
    ASSERT_TRUE(registry.apply(first->id, calls::transition::Answered{calls::now_ms()}));
    worker.drain();
    ASSERT_TRUE(writer.health().ok());
    EXPECT_EQ(writer.spooled(), 0u);

    BringBackAtEnd bring_back_at_end;
    ASSERT_TRUE(PostgresServer::instance().take_down());

    // During the outage: the answered call ends, the ringing one is missed, a third one comes and is
    // answered.
    const auto outage_started = calls::now_ms();
    std::map<std::string, calls::Call> last;  // the final snapshot of each call, as the model ended it
    const auto first_ended =
        registry.apply(first->id, calls::transition::Ended{calls::EndReason::completed, calls::now_ms()});
    const auto second_ended =
        registry.apply(second->id, calls::transition::Ended{calls::EndReason::missed, calls::now_ms()});
    ASSERT_TRUE(first_ended && second_ended);
    last[first->id] = first_ended.value();
    last[second->id] = second_ended.value();
    const auto third = registry.create(inbound("+79990000003", "1001"));
    ASSERT_TRUE(third);
    ASSERT_TRUE(registry.apply(third->id, calls::transition::Ringing{}));
    ASSERT_TRUE(registry.apply(third->id, calls::transition::Answered{calls::now_ms()}));
    worker.drain();

    const DatabaseHealth away = writer.health();
    EXPECT_FALSE(away.ok());
    EXPECT_FALSE(away.reachable);
    ASSERT_TRUE(away.unreachable_since);
    EXPECT_GE(*away.unreachable_since, outage_started);
    EXPECT_EQ(away.queued, 5u);  // first ended, second ended, third new, ringing, answered
    EXPECT_EQ(writer.spooled(), 5u);
    const std::string detail = describe(away);
    EXPECT_NE(detail.find("PostgreSQL unreachable since "), std::string::npos) << detail;
    EXPECT_NE(detail.find("5 call record(s) queued on disk in " +
                          (dir.path() / "spool" / "call-log.jsonl").string()),
              std::string::npos)
        << detail;
    EXPECT_GT(std::filesystem::file_size(dir.path() / "spool" / "call-log.jsonl"), 0u);

    ASSERT_TRUE(PostgresServer::instance().bring_back());
    ASSERT_TRUE(becomes_ok(writer, 20s)) << describe(writer.health());
    EXPECT_EQ(std::filesystem::file_size(dir.path() / "spool" / "call-log.jsonl"), 0u);

    // After it: the third call ends, written at once.
    const auto third_ended =
        registry.apply(third->id, calls::transition::Ended{calls::EndReason::completed, calls::now_ms()});
    ASSERT_TRUE(third_ended);
    last[third->id] = third_ended.value();
    worker.drain();
    EXPECT_EQ(writer.spooled(), 5u);
    EXPECT_EQ(writer.failures(), 0u);
    EXPECT_EQ(writer.writes(), 4u + 5u + 1u);  // before, replayed, after

    const auto rows = stored_rows(url.value());
    ASSERT_EQ(rows.size(), 3u);
    for (const auto& [id, call] : last) {
        ASSERT_EQ(rows.count(id), 1u) << id;
        const Row& row = rows.at(id);
        EXPECT_EQ(row.copies, 1) << id;
        EXPECT_EQ(row.status, "ended") << id;
        EXPECT_EQ(row.end_reason, calls::to_string(call.end_reason)) << id;
        EXPECT_EQ(row.end_ms, ms_text(call.end_time)) << id;
        ASSERT_TRUE(call.end_time) << id;
    }
    EXPECT_EQ(rows.at(second->id).end_reason, "missed");
}

TEST(CallLogOutage, a_spool_left_by_a_run_that_ended_while_postgres_was_away_is_written_at_the_next_start) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    std::string id;
    std::optional<calls::TimePoint> ended_at;
    BringBackAtEnd bring_back_at_end;
    {
        StoreWorker worker(open_url(url.value()));
        calls::EventBus bus;
        CallLogWriter writer(bus, worker, spool_in(dir));
        calls::CallRegistry registry(bus);
        const auto call = registry.create(inbound("+79990000004", "1003"));
        ASSERT_TRUE(call);
        id = call->id;
        worker.drain();  // the new call is written
        ASSERT_TRUE(PostgresServer::instance().take_down());
        ASSERT_TRUE(registry.apply(id, calls::transition::Ringing{}));
        ASSERT_TRUE(registry.apply(id, calls::transition::Answered{calls::now_ms()}));
        const auto ended =
            registry.apply(id, calls::transition::Ended{calls::EndReason::completed, calls::now_ms()});
        ASSERT_TRUE(ended);
        ended_at = ended->end_time;
        ASSERT_TRUE(ended_at);
        worker.drain();
        ASSERT_EQ(writer.health().queued, 3u);
    }  // the service stops with the database still away

    ASSERT_TRUE(PostgresServer::instance().bring_back());
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker, spool_in(dir));
    EXPECT_EQ(writer.health().queued, 3u);  // read back from the file
    ASSERT_TRUE(becomes_ok(writer, 20s)) << describe(writer.health());

    const auto rows = stored_rows(url.value());
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows.count(id), 1u);
    EXPECT_EQ(rows.at(id).copies, 1);
    EXPECT_EQ(rows.at(id).status, "ended");
    EXPECT_EQ(rows.at(id).end_ms, ms_text(ended_at));
}

TEST(CallLogOutage, a_refusal_that_is_not_about_the_connection_is_not_spooled) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker, spool_in(dir));
    calls::CallRegistry registry(bus);
    // A column the call log needs, gone: every write is refused by the server, which is up.
    PGconn* admin = PQconnectdb(url.value().c_str());
    ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
    PQclear(PQexec(admin, "ALTER TABLE calls DROP COLUMN transfer_target"));
    PQfinish(admin);

    ASSERT_TRUE(registry.create(inbound("+79990000005", "1001")));
    worker.drain();
    EXPECT_EQ(writer.failures(), 1u);
    EXPECT_EQ(writer.spooled(), 0u);
    EXPECT_TRUE(writer.health().ok());
}

TEST(CallLogOutage, records_written_again_after_a_crash_mid_replay_leave_one_row_with_the_newest_state) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    const auto options = spool_in(dir);
    calls::Call call = inbound("+79990000006", "1001");
    call.id = "5f0c1a7e-0000-4000-8000-000000000006";
    call.start_time = calls::now_ms();
    calls::Call ended = call;
    ended.status = calls::CallStatus::ended;
    ended.end_reason = calls::EndReason::missed;
    ended.end_time = call.start_time + 20s;
    {
        // Both snapshots were spooled, and both had reached the database when the service died, before
        // it could empty the file.
        auto spool = CallLogSpool::open(options.spool_path, options.spool_max_bytes);
        ASSERT_TRUE(spool) << spool.error().message;
        ASSERT_TRUE(spool.value()->append(call));
        ASSERT_TRUE(spool.value()->append(ended));
        auto storage = open_url(url.value());
        ASSERT_TRUE(storage->record_call(call));
        ASSERT_TRUE(storage->record_call(ended));
    }
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    CallLogWriter writer(bus, worker, options);
    worker.drain();
    ASSERT_TRUE(writer.health().ok()) << describe(writer.health());
    EXPECT_EQ(writer.writes(), 2u);

    const auto rows = stored_rows(url.value());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.at(call.id).copies, 1);
    EXPECT_EQ(rows.at(call.id).status, "ended");
    EXPECT_EQ(rows.at(call.id).end_reason, "missed");
    EXPECT_EQ(rows.at(call.id).end_ms, ms_text(ended.end_time));
}

TEST(CallLogOutage, past_the_spool_bound_records_are_lost_and_the_log_says_so_once) {
    CapturedLog log;
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    calls::CallRegistry registry(bus);
    auto options = spool_in(dir);
    calls::Call probe = inbound("+79990000007", "1001");
    probe.id = "00000000-0000-4000-8000-000000000000";
    probe.current_turn();  // as the registry makes every call: with its first operator's turn
    options.spool_max_bytes = wire::to_json(probe).dump().size() + 40;  // room for one record
    CallLogWriter writer(bus, worker, options);

    BringBackAtEnd bring_back_at_end;
    ASSERT_TRUE(PostgresServer::instance().take_down());
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(registry.create(inbound("+7999000001" + std::to_string(i), "1001")));
    worker.drain();

    const DatabaseHealth health = writer.health();
    EXPECT_EQ(health.queued, 1u);
    EXPECT_EQ(health.lost, 2u);
    EXPECT_NE(describe(health).find("2 call record(s) lost (spool full or unusable)"), std::string::npos)
        << describe(health);
    EXPECT_EQ(occurrences(log.text(), "call records are being lost"), 1u) << log.text();
    EXPECT_NE(log.text().find("is full"), std::string::npos) << log.text();
}

TEST(CallLogOutage, an_idle_database_going_away_and_coming_back_shows_in_the_health_without_any_call) {
    auto url = PostgresServer::instance().fresh_database_url();
    ASSERT_TRUE(url) << url.error().message;
    TempDir dir;
    StoreWorker worker(open_url(url.value()));
    calls::EventBus bus;
    auto options = spool_in(dir);
    options.probe_interval = 100ms;
    CallLogWriter writer(bus, worker, options);
    ASSERT_TRUE(writer.health().ok());

    BringBackAtEnd bring_back_at_end;
    ASSERT_TRUE(PostgresServer::instance().take_down());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (writer.health().ok() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    const DatabaseHealth away = writer.health();
    EXPECT_FALSE(away.ok()) << "the probe noticed PostgreSQL gone with no call written";
    EXPECT_FALSE(away.last_error.empty());
    EXPECT_EQ(away.queued, 0u);

    ASSERT_TRUE(PostgresServer::instance().bring_back());
    EXPECT_TRUE(becomes_ok(writer, 10s)) << "and back";
}
