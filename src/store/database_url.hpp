// DATABASE_URL parsed into what a backend needs; messages never repeat the URL (it may hold a password).
#pragma once

#include <string>

#include "calls/result.hpp"

namespace ff::store {

struct DatabaseLocation {
    enum class Backend { sqlite, postgres };
    Backend backend = Backend::sqlite;
    std::string path;      // SQLite: a file path, or ":memory:"
    std::string conninfo;  // PostgreSQL: the URL as libpq takes it (scheme in lower case)
    bool in_memory() const { return path == ":memory:"; }
};

// "sqlite:./relative.db", "sqlite:relative.db", "sqlite:///abs/path.db", "sqlite::memory:",
// "postgresql://user:password@host:5432/database?options" (or postgres://), checked by libpq's parser.
// Anything else is invalid_argument naming the scheme and what this build supports.
calls::Result<DatabaseLocation> parse_database_url(const std::string& database_url);

}  // namespace ff::store
