// The SQLite schema as a numbered list of migrations, and the runner that brings a database up to date.
#pragma once

#include <span>

#include "calls/result.hpp"
#include "store/migration.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace ff::store::sqlite {

std::span<const Migration> migrations();

// The version a fully migrated database has (the last step's).
int latest_schema_version();

// Applies every step newer than the database's PRAGMA user_version; refuses a database whose
// version is newer than this build knows.
calls::Status migrate(Connection& connection);

}  // namespace ff::store::sqlite
