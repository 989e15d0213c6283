// RAII access to one SQLite database: the connection, cached prepared statements, and transactions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "calls/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace ff::store::sqlite {

struct DatabaseCloser {
    void operator()(sqlite3* database) const;
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const;
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class Connection;

// One use of a cached statement: bind, step, read columns. The statement is reset and its bindings
// cleared when the Query dies, so the next user finds it clean. Parameters are numbered from 1.
class Query {
  public:
    Query(Query&& other) noexcept;
    Query& operator=(Query&&) = delete;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query();

    Query& bind(int index, std::string_view text);
    Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, std::int64_t number);
    Query& bind(int index, int number) { return bind(index, static_cast<std::int64_t>(number)); }
    Query& bind(int index, std::optional<std::int64_t> number);
    Query& bind(int index, const std::optional<std::string>& text);
    Query& bind_null(int index);

    // Binds every argument in order, starting at parameter 1.
    template <class... Values>
    Query& bind_all(const Values&... values) {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    // true: a row is ready to read; false: the statement is done.
    calls::Result<bool> step();
    // Steps to the end, for statements that return no rows.
    calls::Status run();

    bool is_null(int column) const;
    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;

  private:
    friend class Connection;
    Query(Connection& connection, sqlite3_stmt* statement, bool* in_use);
    void note_bind_result(int code);

    Connection* connection_;
    sqlite3_stmt* statement_;
    bool* in_use_;
    int bind_error_ = 0;  // first failed bind, reported by step() so callers need not check each bind
};

class Connection {
  public:
    // Opens (creating if needed) the database at `path` (":memory:" for an in-memory one).
    static calls::Result<Connection> open(const std::string& path);

    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one or more statements that return nothing of interest (pragmas, DDL, BEGIN/COMMIT).
    calls::Status exec(const char* sql);

    // A prepared statement for `sql`, prepared once and kept for the life of the connection.
    calls::Result<Query> query(std::string_view sql);

    std::int64_t changes() const;
    std::int64_t last_insert_rowid() const;
    // The latest error of this connection, with its SQLite code name, for messages.
    std::string last_error() const;
    int last_error_code() const;

  private:
    friend class Query;
    explicit Connection(DatabaseHandle database) : database_(std::move(database)) {}

    struct CachedStatement {
        StatementHandle statement;
        std::unique_ptr<bool> in_use = std::make_unique<bool>(false);  // stable address for Query
    };

    // Declared first so it is destroyed last, after every statement is finalized.
    DatabaseHandle database_;
    std::unordered_map<std::string, CachedStatement> statements_;
};

// BEGIN IMMEDIATE on construction (via begin()); rolls back unless commit() succeeded.
class Transaction {
  public:
    static calls::Result<Transaction> begin(Connection& connection);

    Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
        other.connection_ = nullptr;
    }
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    calls::Status commit();

  private:
    explicit Transaction(Connection& connection) : connection_(&connection) {}
    Connection* connection_;  // null once committed or rolled back
};

// An internal error that names what was being done and SQLite's reason.
calls::Error database_error(const Connection& connection, std::string_view doing);

}  // namespace ff::store::sqlite
