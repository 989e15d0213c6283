// The PostgreSQL schema as a numbered list of migrations, and the runner that brings a database up to date.
#pragma once

#include <span>

#include "calls/result.hpp"
#include "store/migration.hpp"
#include "store/postgres/postgres_connection.hpp"

namespace ff::store::postgres {

std::span<const Migration> migrations();

// The version a fully migrated database has (the last step's).
int latest_schema_version();

// Applies every step newer than the highest version in schema_migrations; refuses a database whose
// version is newer than this build knows. Instances starting together wait for each other.
calls::Status migrate(Connection& connection);

}  // namespace ff::store::postgres
