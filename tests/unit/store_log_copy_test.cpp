// Copying a SQLite call log into PostgreSQL (store::copy_log) on a real server: everything read back alike
// through the PostgreSQL storage, nothing copied twice, refusals, and a failed batch left out whole.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "store/log_copy.hpp"
#include "store/sqlite/sqlite_storage.hpp"
#include "store/storage.hpp"
#include "support/postgres_server.hpp"
#include "support/read_value.hpp"
#include "support/temp_dir.hpp"
#include "wire/call_json.hpp"

using namespace ff;
using namespace ff::store;
using namespace std::chrono_literals;
using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

const calls::TimePoint base{std::chrono::milliseconds{1'762'000'000'000}};

// Runs SQL on the PostgreSQL database through a connection of its own; "" on success, else the error.
std::string postgres_exec(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    std::string error;
    if (PQstatus(connection) != CONNECTION_OK) {
        error = PQerrorMessage(connection);
    } else {
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK)
            error = PQresultErrorMessage(result);
        PQclear(result);
    }
    PQfinish(connection);
    return error;
}

// A call's whole stored form, as the API shows it, but for the duration of calls still up (it grows).
std::string snapshot(const calls::Call& call) {
    auto json = wire::to_json(call);
    json.erase("duration");
    return json.dump();
}

CallQuery first(int limit) {
    CallQuery query;
    query.limit = limit;
    return query;
}

std::vector<std::string> snapshots(Storage& storage) {
    std::vector<std::string> all;
    for (const auto& call : read_value(storage.list_calls(first(100000))).calls)
        all.push_back(snapshot(call));
    return all;
}

void expect_same_stats(const OperatorStats& actual, const OperatorStats& expected) {
    EXPECT_EQ(actual.total_calls, expected.total_calls);
    EXPECT_EQ(actual.inbound_calls, expected.inbound_calls);
    EXPECT_EQ(actual.outbound_calls, expected.outbound_calls);
    EXPECT_EQ(actual.answered_calls, expected.answered_calls);
    EXPECT_EQ(actual.missed_calls, expected.missed_calls);
    EXPECT_EQ(actual.average_duration, expected.average_duration);
    EXPECT_EQ(actual.total_duration, expected.total_duration);
    EXPECT_EQ(actual.orders_linked, expected.orders_linked);
    EXPECT_EQ(actual.calls_with_orders, expected.calls_with_orders);
    EXPECT_DOUBLE_EQ(actual.conversion_rate, expected.conversion_rate);
}

config::PbxSettings pbx_settings(const std::string& server) {
    config::PbxSettings settings;
    settings.server = server;
    settings.port = 5070;
    settings.transport = config::SipTransport::tcp;
    settings.rtp_port_min = 6000;
    settings.rtp_port_max = 6100;
    settings.stun_server = "stun.example:3478";
    return settings;
}

class LogCopy : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened_source = open_storage("sqlite:" + source_path());
        ASSERT_TRUE(opened_source) << opened_source.error().message;
        source = std::move(opened_source).value();
        auto url = ff::testing::PostgresServer::instance().fresh_database_url();
        ASSERT_TRUE(url) << url.error().message;
        destination_url = url.value();
        auto opened = open_storage(destination_url);
        ASSERT_TRUE(opened) << opened.error().message;
        destination = std::move(opened).value();
    }

    std::string source_path() const { return (dir_.path() / "calls.db").string(); }

    // One call in every status and end reason, over two operators, with customers, orders and notes.
    void fill_source(int count = 12) {
        const calls::CallStatus statuses[] = {calls::CallStatus::ringing, calls::CallStatus::answered,
                                              calls::CallStatus::held, calls::CallStatus::transferred,
                                              calls::CallStatus::ended};
        const calls::EndReason reasons[] = {calls::EndReason::completed,  calls::EndReason::missed,
                                            calls::EndReason::busy,       calls::EndReason::rejected,
                                            calls::EndReason::failed,     calls::EndReason::cancelled,
                                            calls::EndReason::transferred};
        for (int i = 0; i < count; ++i) {
            calls::Call call;
            call.id = "call-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
            call.sip_call_id = "sip-" + std::to_string(i) + "@pbx";
            call.direction = i % 3 == 0 ? calls::Direction::outbound : calls::Direction::inbound;
            call.extension = i % 2 == 0 ? "1001" : "1002";
            call.from = call.direction == calls::Direction::inbound ? "+7999000000" + std::to_string(i % 10)
                                                                    : call.extension;
            call.to = call.direction == calls::Direction::inbound ? call.extension
                                                                  : "+7999000000" + std::to_string(i % 10);
            call.start_time = base + std::chrono::minutes(i);
            call.status = i < 4 ? statuses[i] : calls::CallStatus::ended;
            if (call.status != calls::CallStatus::ringing && i % 5 != 1)
                call.answer_time = call.start_time + 3s;
            if (call.status == calls::CallStatus::transferred) call.transfer_target = "1003";
            if (call.status == calls::CallStatus::ended) {
                call.end_reason = reasons[i % 7];
                call.end_time = call.start_time + 95s;
            }
            if (i % 2 == 1)
                call.customer = calls::Customer{"cust-" + std::to_string(i), "Иван Иванов", call.from};
            ASSERT_TRUE(source->record_call(call)) << call.id;
            for (int order = 0; order < i % 4; ++order)
                ASSERT_TRUE(
                    source->link_order(call.id, "order-" + std::to_string(i) + "-" + std::to_string(order)));
        }
        // Notes written from the last call back, so their ids do not follow the copy's order (by call id):
        // a copy that numbered them afresh would differ.
        for (int i = count - 1; i >= 0; --i) {
            const std::string id = "call-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
            for (int note = 0; note < i % 3; ++note)
                ASSERT_TRUE(source->add_note(id, "note " + std::to_string(note), "Оператор"));
        }
        for (int i = 0; i < 3; ++i) {
            TokenRecord token{"token-" + std::to_string(i),
                              "Token " + std::to_string(i),
                              i == 0 ? "admin" : "operator",
                              i == 0 ? "" : "100" + std::to_string(i),
                              std::string(64, static_cast<char>('a' + i)),
                              base + std::chrono::hours(i),
                              std::nullopt};
            ASSERT_TRUE(source->insert_token(token));
        }
        ASSERT_TRUE(source->revoke_token("token-2", base + 100h));
        ASSERT_TRUE(source->save_pbx_settings(pbx_settings("pbx.example")));
        ASSERT_TRUE(source->save_sip_users(
            {{"op1", "secret-1", "1001", "Оператор 1"}, {"op2", "secret-2", "1002", ""}}));
    }

    void expect_destination_matches_source() {
        EXPECT_EQ(snapshots(*destination), snapshots(*source));
        EXPECT_EQ(read_value(destination->list_calls({})).total, read_value(source->list_calls({})).total);
        for (const char* extension : {"1001", "1002"}) {
            SCOPED_TRACE(extension);
            const StatsQuery query{extension, base - 1h, base + 24h};
            expect_same_stats(read_value(destination->stats(query)), read_value(source->stats(query)));
        }
        const auto tokens = read_value(destination->list_tokens());
        const auto expected_tokens = read_value(source->list_tokens());
        ASSERT_EQ(tokens.size(), expected_tokens.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            EXPECT_EQ(tokens[i].id, expected_tokens[i].id);
            EXPECT_EQ(tokens[i].name, expected_tokens[i].name);
            EXPECT_EQ(tokens[i].role, expected_tokens[i].role);
            EXPECT_EQ(tokens[i].extension, expected_tokens[i].extension);
            EXPECT_EQ(tokens[i].hash, expected_tokens[i].hash);
            EXPECT_EQ(tokens[i].created_at, expected_tokens[i].created_at);
            EXPECT_EQ(tokens[i].revoked_at, expected_tokens[i].revoked_at);
        }
        EXPECT_EQ(read_value(destination->load_pbx_settings()), read_value(source->load_pbx_settings()));
        EXPECT_EQ(read_value(destination->load_sip_users()), read_value(source->load_sip_users()));
    }

    TempDir dir_;
    std::unique_ptr<Storage> source;
    std::unique_ptr<Storage> destination;
    std::string destination_url;
};

}  // namespace

TEST_F(LogCopy, everything_reads_back_alike_through_the_postgres_storage) {
    fill_source();
    auto report = copy_log(*source, *destination, LogCopyOptions{.batch_size = 5});
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report.value().copied.calls, 12);
    EXPECT_EQ(report.value().copied.orders, 18);  // i % 4 for i in 0..11
    EXPECT_EQ(report.value().copied.notes, 12);   // i % 3 for i in 0..11
    EXPECT_EQ(report.value().tokens_copied, 3);
    EXPECT_TRUE(report.value().settings_copied);
    EXPECT_EQ(describe(report.value()),
              "copied 12 calls (18 orders, 12 notes), 3 tokens, settings: yes; skipped 0 "
              "already present");
    expect_destination_matches_source();
    const auto customer = read_value(destination->last_customer_for_phone("+79990000001"));
    ASSERT_TRUE(customer);
    EXPECT_EQ(wire::to_json(*customer),
              wire::to_json(*read_value(source->last_customer_for_phone("+79990000001"))));
}

TEST_F(LogCopy, copying_twice_copies_nothing_twice_and_says_what_was_skipped) {
    fill_source();
    ASSERT_TRUE(copy_log(*source, *destination, LogCopyOptions{.batch_size = 4}));
    auto again = copy_log(*source, *destination, LogCopyOptions{.batch_size = 4});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again.value().copied.calls, 0);
    EXPECT_EQ(again.value().calls_skipped, 12);
    EXPECT_EQ(again.value().tokens_skipped, 3);
    EXPECT_EQ(
        describe(again.value()),
        "copied 0 calls (0 orders, 0 notes), 0 tokens, settings: no; skipped 15 already present (12 calls, "
        "3 tokens, settings)");
    expect_destination_matches_source();
}

TEST_F(LogCopy, notes_keep_their_ids_and_new_notes_get_fresh_ones) {
    fill_source();
    ASSERT_TRUE(copy_log(*source, *destination, {}));
    const auto copied = read_value(destination->find_call("call-05"));
    ASSERT_TRUE(copied);
    ASSERT_EQ(copied->notes.size(), 2u);
    EXPECT_EQ(copied->notes[0].id, read_value(source->find_call("call-05"))->notes[0].id);
    // The service writes on after the move: its next note must not collide with a copied id.
    auto added = destination->add_note("call-05", "after the move", "Оператор 1002");
    ASSERT_TRUE(added) << added.error().message;
    std::int64_t highest = 0;
    for (const auto& call : read_value(source->list_calls(first(1000))).calls)
        for (const auto& note : call.notes) highest = std::max(highest, note.id);
    EXPECT_GT(added.value().notes.back().id, highest);
}

TEST_F(LogCopy, a_note_id_taken_at_the_destination_gets_a_new_one) {
    fill_source(3);  // notes on call-02 (ids 1, 2: written first) and call-01 (id 3)
    calls::Call own;
    own.id = "already-here";
    own.start_time = base;
    ASSERT_TRUE(destination->record_call(own));
    ASSERT_TRUE(destination->add_note("already-here", "written on PostgreSQL", "Оператор"));  // takes id 1
    auto report = copy_log(*source, *destination, {});
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report.value().copied.notes, 3);
    EXPECT_EQ(read_value(destination->find_call("already-here"))->notes.front().text,
              "written on PostgreSQL");
    const auto moved = read_value(destination->find_call("call-02"));
    ASSERT_TRUE(moved);
    ASSERT_EQ(moved->notes.size(), 2u);
    EXPECT_EQ(moved->notes[0].text, "note 1");  // notes read back by id
    EXPECT_EQ(moved->notes[0].id, 2);           // free at the destination: kept
    EXPECT_EQ(read_value(destination->find_call("call-01"))->notes.at(0).id, 3);
    // Id 1 was taken: the note is there under a new id, after the others.
    bool renumbered = false;
    for (const auto& note : moved->notes) renumbered |= note.text == "note 0" && note.id > 3;
    EXPECT_TRUE(renumbered);
}

TEST_F(LogCopy, different_settings_at_the_destination_are_refused_before_anything_is_written) {
    fill_source();
    ASSERT_TRUE(destination->save_pbx_settings(pbx_settings("other-pbx.example")));
    auto refused = copy_log(*source, *destination, {});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, calls::ErrorCode::conflict);
    EXPECT_NE(refused.error().message.find("different PBX settings"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("--overwrite-settings"), std::string::npos);
    EXPECT_EQ(read_value(destination->list_calls({})).total, 0);
    EXPECT_TRUE(read_value(destination->list_tokens()).empty());

    auto overwritten = copy_log(*source, *destination, LogCopyOptions{.overwrite_settings = true});
    ASSERT_TRUE(overwritten) << overwritten.error().message;
    expect_destination_matches_source();
}

TEST_F(LogCopy, different_users_are_refused_and_never_named_with_their_passwords) {
    fill_source();
    ASSERT_TRUE(destination->save_sip_users({{"op1", "other-secret", "1001", "Оператор 1"}}));
    auto refused = copy_log(*source, *destination, {});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("PBX users"), std::string::npos) << refused.error().message;
    for (const char* secret : {"other-secret", "secret-1", "secret-2"})
        EXPECT_EQ(refused.error().message.find(secret), std::string::npos) << refused.error().message;
}

TEST_F(LogCopy, a_failed_batch_is_rolled_back_whole_and_a_second_run_finishes_the_copy) {
    fill_source();
    // The destination refuses one call, as a server failing midway would: batches of 4, call-05 in the
    // second.
    ASSERT_EQ(postgres_exec(destination_url,
                            "CREATE FUNCTION refuse_call() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            "IF NEW.id = 'call-05' THEN RAISE EXCEPTION 'refused for the test'; END IF; "
                            "RETURN NEW; END $$; "
                            "CREATE TRIGGER refuse_call BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION "
                            "refuse_call()"),
              "");
    auto failed = copy_log(*source, *destination, LogCopyOptions{.batch_size = 4});
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("rolled back"), std::string::npos) << failed.error().message;
    const auto left = read_value(destination->list_calls(first(100)));
    EXPECT_EQ(left.total, 4);  // the first batch, whole; nothing of the second
    for (const auto& call : left.calls) EXPECT_LT(call.id, "call-04");
    EXPECT_EQ(postgres_exec(destination_url, "DROP TRIGGER refuse_call ON calls"), "");

    auto resumed = copy_log(*source, *destination, LogCopyOptions{.batch_size = 4});
    ASSERT_TRUE(resumed) << resumed.error().message;
    EXPECT_EQ(resumed.value().copied.calls, 8);
    EXPECT_EQ(resumed.value().calls_skipped, 4);
    expect_destination_matches_source();
}

TEST(LogCopySource, a_missing_file_is_refused_and_not_created) {
    TempDir dir;
    const auto path = (dir.path() / "missing.db").string();
    auto opened = sqlite::SqliteStorage::open_existing(path);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, calls::ErrorCode::invalid_argument);
    EXPECT_NE(opened.error().message.find("does not exist"), std::string::npos) << opened.error().message;
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(LogCopySource, a_file_that_is_not_sqlite_is_refused) {
    TempDir dir;
    const auto path = (dir.path() / "notes.txt").string();
    std::ofstream(path) << "not a database at all, but long enough to have a header\n";
    auto opened = sqlite::SqliteStorage::open_existing(path);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("is not a SQLite database"), std::string::npos)
        << opened.error().message;
}

TEST(LogCopySource, another_programs_sqlite_database_is_refused_and_left_as_it_was) {
    TempDir dir;
    const auto path = (dir.path() / "other.db").string();
    sqlite3* database = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(database, "CREATE TABLE recipes (name TEXT)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(database);

    auto opened = sqlite::SqliteStorage::open_existing(path);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("not a pjsip-service call log"), std::string::npos)
        << opened.error().message;
    // No schema step ran on it: its only table is still its own.
    ASSERT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(database, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", -1,
                                 &statement, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(statement, 0), 1);
    sqlite3_finalize(statement);
    sqlite3_close(database);
}

TEST(LogCopySource, a_log_of_ours_opens) {
    TempDir dir;
    const auto path = (dir.path() / "calls.db").string();
    ASSERT_TRUE(open_storage("sqlite:" + path));
    auto opened = sqlite::SqliteStorage::open_existing(path);
    EXPECT_TRUE(opened) << opened.error().message;
}

TEST_F(LogCopy, the_sqlite_backend_imports_alike_for_a_move_back) {
    fill_source();
    ASSERT_TRUE(copy_log(*source, *destination, {}));
    // PostgreSQL back into a new SQLite file: the same log again, note ids included.
    auto back = open_storage("sqlite:" + (dir_.path() / "back.db").string());
    ASSERT_TRUE(back) << back.error().message;
    auto report = copy_log(*destination, *back.value(), LogCopyOptions{.batch_size = 3});
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report.value().copied.calls, 12);
    EXPECT_EQ(snapshots(*back.value()), snapshots(*source));
    auto again = copy_log(*destination, *back.value(), {});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again.value().calls_skipped, 12);
    EXPECT_EQ(again.value().copied.calls, 0);
}
