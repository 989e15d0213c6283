// Opening the SQLite database: its directory, connection settings (WAL) and migrations.
#include "store/sqlite/sqlite_storage.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "store/sqlite/sqlite_schema.hpp"

namespace ff::store::sqlite {
namespace {

calls::Status create_parent_directory(const std::filesystem::path& file) {
    const auto parent = file.parent_path();
    if (parent.empty()) return calls::Done{};
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
        return calls::make_error(
            calls::ErrorCode::unavailable,
            "cannot create the directory " + parent.string() + " for the database: " + error.message());
    }
    return calls::Done{};
}

calls::Status configure(Connection& connection, bool in_memory) {
    // Wait for another process's write lock rather than failing at once.
    if (auto status = connection.exec("PRAGMA busy_timeout = 5000"); !status) return status;
    if (!in_memory) {
        // WAL lets readers run while the worker writes; NORMAL is durable across process crashes and
        // only loses the last commits on power loss, which a call log can afford for its speed.
        auto mode = connection.query("PRAGMA journal_mode = WAL");
        if (!mode) return mode.error();
        auto row = mode.value().step();
        if (!row) return row.error();
        const std::string journal_mode = row.value() ? mode.value().text(0) : std::string();
        if (journal_mode != "wal")
            spdlog::warn("storage: SQLite kept journal mode '{}' instead of WAL", journal_mode);
    }
    if (auto status = connection.exec("PRAGMA synchronous = NORMAL"); !status) return status;
    return connection.exec("PRAGMA foreign_keys = ON");
}

// A SQLite file starts with this 16-byte header; checked before SQLite opens it (and could create it).
bool has_sqlite_header(const std::string& path) {
    constexpr std::string_view header{"SQLite format 3\0", 16};
    std::ifstream file(path, std::ios::binary);
    char start[16] = {};
    file.read(start, sizeof(start));
    return file.gcount() == static_cast<std::streamsize>(sizeof(start)) &&
           std::string_view(start, sizeof(start)) == header;
}

// Ours when a schema step was recorded and the call log's table is there.
calls::Status check_our_schema(Connection& connection, const std::string& path) {
    auto version = connection.query("PRAGMA user_version");
    if (!version) return version.error();
    auto row = version.value().step();
    if (!row) return row.error();
    const std::int64_t user_version = row.value() ? version.value().integer(0) : 0;
    auto table =
        connection.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'calls'");
    if (!table) return table.error();
    auto counted = table.value().step();
    if (!counted) return counted.error();
    if (user_version < 1 || !counted.value() || table.value().integer(0) != 1) {
        return calls::make_error(calls::ErrorCode::invalid_argument,
                                 path +
                                     " is a SQLite database but not a pjsip-service call log (no calls table "
                                     "or schema version)");
    }
    return calls::Done{};
}

}  // namespace

calls::Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open_existing(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return calls::make_error(calls::ErrorCode::invalid_argument,
                                 path + " does not exist or is not a file");
    if (!has_sqlite_header(path))
        return calls::make_error(calls::ErrorCode::invalid_argument, path + " is not a SQLite database");
    {
        auto connection = Connection::open(path);
        if (!connection) return connection.error();
        if (auto status = check_our_schema(connection.value(), path); !status) return status.error();
    }
    return open(path);
}

calls::Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path) {
    const bool in_memory = path == ":memory:";
    bool created = false;
    if (!in_memory) {
        if (auto status = create_parent_directory(path); !status) return status.error();
        std::error_code error;
        created = !std::filesystem::exists(path, error);
    }
    auto connection = Connection::open(path);
    if (!connection) return connection.error();
    if (created) {
        // The file holds the operators' PBX passwords: readable by the service's user only. SQLite gives
        // its -wal and -shm files the same permissions as the database file.
        std::error_code error;
        std::filesystem::permissions(
            path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, error);
        if (error) spdlog::warn("storage: cannot restrict permissions of {}: {}", path, error.message());
    }
    if (auto status = configure(connection.value(), in_memory); !status) {
        return calls::make_error(status.error().code, "database " + path + ": " + status.error().message);
    }
    if (auto status = migrate(connection.value()); !status) {
        return calls::make_error(status.error().code, "database " + path + ": " + status.error().message);
    }
    return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(connection).value()));
}

}  // namespace ff::store::sqlite
