// Opening PostgreSQL storage on a real server: migrations recorded in schema_migrations, reopening,
// a half-migrated or newer database, a dropped connection, an unreachable server named without its password.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>
#include <thread>

#include "store/postgres/postgres_schema.hpp"
#include "store/storage.hpp"
#include "support/postgres_server.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;

using ff::testing::read_value;

namespace {

// Reads one value through a separate connection, as an operator's psql would; runs statements when
// the SQL returns no rows.
std::string postgres_value(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    std::string value = "<cannot connect>";
    if (PQstatus(connection) == CONNECTION_OK) {
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
            value = PQgetisnull(result, 0, 0) != 0 ? "<null>" : PQgetvalue(result, 0, 0);
        } else if (PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK) {
            value = "<no row>";
        } else {
            value = std::string("<error: ") + PQresultErrorMessage(result) + ">";
        }
        PQclear(result);
    }
    PQfinish(connection);
    return value;
}

calls::Call sample_call(const std::string& id) {
    calls::Call call;
    call.id = id;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1'762'000'000'000}};
    return call;
}

class PostgresOpen : public ::testing::Test {
  protected:
    void SetUp() override {
        auto url = ff::testing::PostgresServer::instance().fresh_database_url();
        ASSERT_TRUE(url) << url.error().message;
        url_ = url.value();
    }

    std::string url_;
};

}  // namespace

TEST_F(PostgresOpen, new_database_is_migrated_to_the_latest_schema) {
    auto storage = open_storage(url_);
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_EQ(postgres_value(url_, "SELECT max(version) FROM schema_migrations"),
              std::to_string(postgres::latest_schema_version()));
    for (const char* table : {"calls", "call_orders", "call_notes", "api_tokens", "settings", "sip_users"}) {
        EXPECT_EQ(postgres_value(
                      url_, std::string("SELECT count(*) FROM pg_tables WHERE tablename = '") + table + "'"),
                  "1")
            << table;
    }
    for (const char* index : {"calls_from_number_start", "calls_to_number_start", "calls_extension_start",
                              "calls_start", "calls_customer_by_from", "calls_customer_by_to", "calls_customer_by_phone"}) {
        EXPECT_EQ(postgres_value(
                      url_, std::string("SELECT count(*) FROM pg_indexes WHERE indexname = '") + index + "'"),
                  "1")
            << index;
    }
}

TEST_F(PostgresOpen, migration_steps_are_numbered_in_order_from_one_like_sqlite) {
    int expected = 1;
    for (const Migration& step : postgres::migrations()) EXPECT_EQ(step.version, expected++) << step.name;
}

TEST_F(PostgresOpen, reopening_keeps_the_data_and_migrates_nothing_twice) {
    {
        auto storage = open_storage(url_);
        ASSERT_TRUE(storage) << storage.error().message;
        ASSERT_TRUE(storage.value()->record_call(sample_call("call-1")));
        ASSERT_TRUE(storage.value()->link_order("call-1", "order-1"));
    }
    for (int round = 0; round < 2; ++round) {
        auto storage = open_storage(url_);
        ASSERT_TRUE(storage) << storage.error().message;
        const auto call = read_value(storage.value()->find_call("call-1"));
        ASSERT_TRUE(call);
        ASSERT_EQ(call->orders.size(), 1u);
        EXPECT_EQ(call->orders[0].order_id, "order-1");
    }
    EXPECT_EQ(postgres_value(url_, "SELECT count(*) FROM schema_migrations"),
              std::to_string(postgres::latest_schema_version()));
}

TEST_F(PostgresOpen, half_migrated_database_gets_the_remaining_steps) {
    // A database left by a build that knew only the first step.
    const std::string first_step(postgres::migrations()[0].sql);
    ASSERT_EQ(postgres_value(url_, first_step), "<no row>");
    ASSERT_EQ(
        postgres_value(url_,
                       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                       "applied_ms BIGINT NOT NULL DEFAULT 0); "
                       "INSERT INTO schema_migrations (version, name) VALUES (1, 'call log')"),
        "<no row>");

    auto storage = open_storage(url_);
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_EQ(postgres_value(url_, "SELECT max(version) FROM schema_migrations"),
              std::to_string(postgres::latest_schema_version()));
    EXPECT_EQ(read_value(storage.value()->list_tokens()).size(), 0u);
    EXPECT_FALSE(read_value(storage.value()->load_sip_users()));
}

TEST_F(PostgresOpen, database_newer_than_this_build_is_refused) {
    {
        auto storage = open_storage(url_);
        ASSERT_TRUE(storage) << storage.error().message;
    }
    ASSERT_EQ(postgres_value(url_, "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')"),
              "<no row>");
    auto storage = open_storage(url_);
    ASSERT_FALSE(storage);
    EXPECT_NE(storage.error().message.find("999"), std::string::npos) << storage.error().message;
    EXPECT_NE(storage.error().message.find("newer"), std::string::npos) << storage.error().message;
}

TEST_F(PostgresOpen, two_instances_migrating_a_new_database_at_once_both_succeed) {
    // Each waits for the other's migration lock and then finds the step done: no "already exists".
    calls::Result<std::unique_ptr<Storage>> first = calls::make_error(calls::ErrorCode::internal, "not run");
    calls::Result<std::unique_ptr<Storage>> second = calls::make_error(calls::ErrorCode::internal, "not run");
    std::thread other([&] { second = open_storage(url_); });
    first = open_storage(url_);
    other.join();
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(second) << second.error().message;
    ASSERT_TRUE(first.value()->record_call(sample_call("call-1")));
    EXPECT_TRUE(read_value(second.value()->find_call("call-1")));
    EXPECT_EQ(postgres_value(url_, "SELECT count(*) FROM schema_migrations"),
              std::to_string(postgres::latest_schema_version()));
}

TEST_F(PostgresOpen, connection_ended_by_the_server_is_opened_again_with_its_statements) {
    auto storage = open_storage(url_);
    ASSERT_TRUE(storage) << storage.error().message;
    ASSERT_TRUE(storage.value()->record_call(sample_call("call-1")));
    ASSERT_TRUE(read_value(storage.value()->find_call("call-1")));
    // What a server restart or an administrator's pg_terminate_backend does to the store's connection.
    ASSERT_EQ(postgres_value(url_,
                             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
              "1");
    // The use that finds the connection gone may fail; the next one connects again and prepares anew.
    (void)read_value(storage.value()->find_call("call-1"));
    EXPECT_TRUE(read_value(storage.value()->find_call("call-1")));
    EXPECT_TRUE(storage.value()->record_call(sample_call("call-2")));
}

TEST(PostgresUnreachable, refused_connection_is_unavailable_and_does_not_show_the_password) {
    // Port 1 on 127.0.0.1: nothing listens there (it needs root to bind, and no test binds it).
    auto storage = open_storage("postgresql://ff:secret-pass@127.0.0.1:1/calls?connect_timeout=5");
    ASSERT_FALSE(storage);
    EXPECT_EQ(storage.error().code, calls::ErrorCode::unavailable);
    EXPECT_EQ(storage.error().message.find("secret-pass"), std::string::npos) << storage.error().message;
    EXPECT_NE(storage.error().message.find("cannot connect to PostgreSQL"), std::string::npos)
        << storage.error().message;
}
