// Opening the SQLite database: its directory, connection settings (WAL) and migrations.
#include "store/sqlite/sqlite_storage.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
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

}  // namespace

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
