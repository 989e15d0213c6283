// Opening storage from DATABASE_URL: real SQLite files, migrations, WAL, the URL forms and the ones refused.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"
#include "store/database_url.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store/storage.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;

using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

// Reads one value through a separate connection, as an operator's sqlite3 shell would.
std::string sqlite_value(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* database = nullptr;
    if (sqlite3_open_v2(file.c_str(), &database, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(database);
        return "<cannot open>";
    }
    sqlite3_stmt* statement = nullptr;
    std::string value = "<no row>";
    if (sqlite3_prepare_v2(database, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        value = text != nullptr ? reinterpret_cast<const char*>(text) : "<null>";
    }
    sqlite3_finalize(statement);
    sqlite3_close(database);
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

}  // namespace

TEST(StorageOpen, new_file_is_migrated_to_the_latest_schema_in_wal_mode) {
    TempDir dir;
    const auto file = dir.path() / "calls.db";
    auto storage = open_storage("sqlite://" + file.string());
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_EQ(sqlite_value(file, "PRAGMA user_version"), std::to_string(sqlite::latest_schema_version()));
    EXPECT_EQ(sqlite_value(file, "PRAGMA journal_mode"), "wal");
    for (const char* table : {"calls", "call_orders", "call_notes", "api_tokens", "settings", "sip_users"}) {
        EXPECT_EQ(
            sqlite_value(file,
                         std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '") +
                             table + "'"),
            "1")
            << table;
    }
    for (const char* index : {"calls_from_number_start", "calls_to_number_start", "calls_extension_start",
                              "calls_start", "calls_customer_by_from", "calls_customer_by_to", "calls_customer_by_phone"}) {
        EXPECT_EQ(
            sqlite_value(file,
                         std::string("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '") +
                             index + "'"),
            "1")
            << index;
    }
}

TEST(StorageOpen, migration_steps_are_numbered_in_order_from_one) {
    int expected = 1;
    for (const Migration& step : sqlite::migrations()) EXPECT_EQ(step.version, expected++) << step.name;
}

TEST(StorageOpen, reopening_an_existing_file_keeps_its_data_and_migrates_nothing_twice) {
    TempDir dir;
    const std::string url = "sqlite:" + (dir.path() / "calls.db").string();
    {
        auto storage = open_storage(url);
        ASSERT_TRUE(storage) << storage.error().message;
        ASSERT_TRUE(storage.value()->record_call(sample_call("call-1")));
        ASSERT_TRUE(storage.value()->link_order("call-1", "order-1"));
    }
    for (int round = 0; round < 2; ++round) {
        auto storage = open_storage(url);
        ASSERT_TRUE(storage) << storage.error().message;
        const auto call = read_value(storage.value()->find_call("call-1"));
        ASSERT_TRUE(call);
        ASSERT_EQ(call->orders.size(), 1u);
        EXPECT_EQ(call->orders[0].order_id, "order-1");
    }
    EXPECT_EQ(sqlite_value(dir.path() / "calls.db", "PRAGMA user_version"),
              std::to_string(sqlite::latest_schema_version()));
}

TEST(StorageOpen, half_migrated_file_gets_the_remaining_steps) {
    TempDir dir;
    const auto file = dir.path() / "calls.db";
    // A database left by a build that knew only the first step.
    sqlite3* database = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &database), SQLITE_OK);
    const std::string first_step(sqlite::migrations()[0].sql);
    ASSERT_EQ(sqlite3_exec(database, first_step.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(database, "PRAGMA user_version = 1", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(database);

    auto storage = open_storage("sqlite:" + file.string());
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_EQ(sqlite_value(file, "PRAGMA user_version"), std::to_string(sqlite::latest_schema_version()));
    EXPECT_EQ(read_value(storage.value()->list_tokens()).size(), 0u);
    EXPECT_FALSE(read_value(storage.value()->load_sip_users()));
}

TEST(StorageOpen, database_newer_than_this_build_is_refused) {
    TempDir dir;
    const auto file = dir.path() / "calls.db";
    {
        sqlite3* database = nullptr;
        ASSERT_EQ(sqlite3_open(file.c_str(), &database), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(database, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(database);
    }
    auto storage = open_storage("sqlite:" + file.string());
    ASSERT_FALSE(storage);
    EXPECT_NE(storage.error().message.find("999"), std::string::npos) << storage.error().message;
    EXPECT_NE(storage.error().message.find("newer"), std::string::npos) << storage.error().message;
}

TEST(StorageOpen, missing_parent_directories_are_created) {
    TempDir dir;
    const auto file = dir.path() / "data" / "nested" / "calls.db";
    auto storage = open_storage("sqlite:" + file.string());
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_TRUE(std::filesystem::exists(file));
    // The file holds PBX passwords: the service's user only.
    const auto permissions = std::filesystem::status(file).permissions();
    EXPECT_EQ(permissions & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
}

TEST(StorageOpen, relative_path_is_relative_to_the_working_directory) {
    TempDir dir;
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto storage = open_storage("sqlite:./data/calls.db");
    std::filesystem::current_path(previous);
    ASSERT_TRUE(storage) << storage.error().message;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "data" / "calls.db"));
}

TEST(StorageOpen, in_memory_database_works_without_a_file) {
    auto storage = open_storage("sqlite::memory:");
    ASSERT_TRUE(storage) << storage.error().message;
    ASSERT_TRUE(storage.value()->record_call(sample_call("call-1")));
    EXPECT_TRUE(read_value(storage.value()->find_call("call-1")));
}

TEST(StorageOpen, url_forms_are_parsed) {
    EXPECT_EQ(parse_database_url("sqlite:./data/calls.db")->path, "./data/calls.db");
    EXPECT_EQ(parse_database_url("sqlite:calls.db")->path, "calls.db");
    EXPECT_EQ(parse_database_url("sqlite:///var/lib/ff/calls.db")->path, "/var/lib/ff/calls.db");
    EXPECT_EQ(parse_database_url("SQLite:./calls.db")->path, "./calls.db");
    EXPECT_TRUE(parse_database_url("sqlite::memory:")->in_memory());
    EXPECT_FALSE(parse_database_url("sqlite:"));
    EXPECT_FALSE(parse_database_url("sqlite://relative.db"));
    EXPECT_FALSE(parse_database_url(""));
    EXPECT_FALSE(parse_database_url("./calls.db"));
}

TEST(StorageOpen, postgresql_url_forms_are_parsed_and_refusals_do_not_show_the_password) {
    const auto url = parse_database_url("postgresql://ff:secret@127.0.0.1:5432/calls?sslmode=disable");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(url->backend, DatabaseLocation::Backend::postgres);
    EXPECT_EQ(url->conninfo, "postgresql://ff:secret@127.0.0.1:5432/calls?sslmode=disable");
    EXPECT_EQ(parse_database_url("postgres://ff@db/calls")->backend, DatabaseLocation::Backend::postgres);
    EXPECT_EQ(parse_database_url("PostgreSQL://ff@db/calls")->conninfo, "postgresql://ff@db/calls");
    for (const char* refused : {"postgresql:ff:secret@db/calls", "postgresql://ff:secret%zz@db/calls",
                                "postgresql://ff:secret@db/calls?nosuchoption=1"}) {
        const auto parsed = parse_database_url(refused);
        ASSERT_FALSE(parsed) << refused;
        EXPECT_EQ(parsed.error().code, calls::ErrorCode::invalid_argument);
        EXPECT_EQ(parsed.error().message.find("secret"), std::string::npos) << parsed.error().message;
        EXPECT_NE(parsed.error().message.find("postgresql://"), std::string::npos) << parsed.error().message;
    }
}

TEST(StorageOpen, unknown_scheme_is_named_with_the_supported_forms) {
    auto storage = open_storage("mysql://x");
    ASSERT_FALSE(storage);
    EXPECT_EQ(storage.error().code, calls::ErrorCode::invalid_argument);
    EXPECT_NE(storage.error().message.find("\"mysql\""), std::string::npos) << storage.error().message;
    EXPECT_NE(storage.error().message.find("sqlite::memory:"), std::string::npos) << storage.error().message;
}

TEST(StorageOpen, text_without_a_scheme_is_not_echoed) {
    auto storage = open_storage("user:p@ss word@host");
    ASSERT_FALSE(storage);
    EXPECT_EQ(storage.error().message.find("p@ss"), std::string::npos) << storage.error().message;
}

TEST(StorageOpen, unwritable_location_is_a_clear_error) {
    auto storage = open_storage("sqlite:///proc/ff-store-test/calls.db");
    ASSERT_FALSE(storage);
    EXPECT_NE(storage.error().message.find("/proc/ff-store-test"), std::string::npos)
        << storage.error().message;
}
