// One libpq connection owned by the store worker's thread: prepared statements, results, transactions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calls/result.hpp"

struct pg_conn;
struct pg_result;

namespace ff::store::postgres {

struct ConnectionCloser {
    void operator()(pg_conn* connection) const;
};
struct ResultClearer {
    void operator()(pg_result* result) const;
};

// Statement parameters travel as text (NULL as nullopt); the server gives them the column's type.
using Parameter = std::optional<std::string>;

inline Parameter parameter(std::string_view text) {
    return std::string(text);
}
inline Parameter parameter(const std::string& text) {
    return text;
}
inline Parameter parameter(const char* text) {
    return std::string(text);
}
inline Parameter parameter(std::int64_t number) {
    return std::to_string(number);
}
inline Parameter parameter(int number) {
    return std::to_string(number);
}
inline Parameter parameter(const std::optional<std::int64_t>& number) {
    if (!number) return std::nullopt;
    return std::to_string(*number);
}
inline Parameter parameter(const std::optional<std::string>& text) {
    return text;
}
inline Parameter parameter(std::nullopt_t) {
    return std::nullopt;
}

template <class... Values>
std::vector<Parameter> parameters(const Values&... values) {
    return {parameter(values)...};
}

// The rows of one statement, read in libpq's text format. Rows and columns are numbered from 0.
class Rows {
  public:
    explicit Rows(pg_result* result) : result_(result) {}

    int size() const;
    std::int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched

    bool is_null(int row, int column) const;
    std::int64_t integer(int row, int column) const;  // 0 for NULL
    std::optional<std::int64_t> optional_integer(int row, int column) const;
    std::string text(int row, int column) const;  // "" for NULL
    std::optional<std::string> optional_text(int row, int column) const;

  private:
    std::unique_ptr<pg_result, ResultClearer> result_;
};

// One row of a result, read by column as SQLite's Query reads its current row (store/row_readers.hpp).
class RowView {
  public:
    RowView(const Rows& rows, int row) : rows_(rows), row_(row) {}

    bool is_null(int column) const { return rows_.is_null(row_, column); }
    std::int64_t integer(int column) const { return rows_.integer(row_, column); }
    std::optional<std::int64_t> optional_integer(int column) const { return rows_.optional_integer(row_, column); }
    std::string text(int column) const { return rows_.text(row_, column); }
    std::optional<std::string> optional_text(int column) const { return rows_.optional_text(row_, column); }

  private:
    const Rows& rows_;
    int row_;
};

class Connection {
  public:
    // Connects with a libpq URI or key=value string. Messages never repeat it (it may hold a password).
    static calls::Result<Connection> open(const std::string& conninfo);

    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() = default;

    // Runs one or more statements without parameters (DDL, BEGIN/COMMIT).
    calls::Status exec(std::string_view sql);

    // Runs `sql` ($1..$n) as a statement prepared once per connection and kept for its life.
    calls::Result<Rows> run(std::string_view sql, const std::vector<Parameter>& values = {});

    // run() for a statement that changes nothing, outside a transaction. A session the server dropped is
    // only found out by the next statement (after a restart, say): a read that finds it so reconnects and
    // runs once more, where a write must not, since the server may have done it before the line went.
    calls::Result<Rows> read(std::string_view sql, const std::vector<Parameter>& values = {});

    // SQLSTATE of the latest failed statement ("23505": unique violation), "" after a success.
    const std::string& last_sqlstate() const { return last_sqlstate_; }

    // ROLLBACK if the connection is still up (Transaction's destructor): never reconnects for it.
    void abandon_transaction();

  private:
    explicit Connection(pg_conn* connection);

    // Reconnects a connection the server dropped; prepared statements died with it.
    calls::Status ensure_connected();
    calls::Result<Rows> checked(pg_result* result, std::string_view doing);

    std::unique_ptr<pg_conn, ConnectionCloser> connection_;
    std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
    std::string last_sqlstate_;
};

// BEGIN on creation, ROLLBACK on destruction unless commit() succeeded.
class Transaction {
  public:
    static calls::Result<Transaction> begin(Connection& connection);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    calls::Status commit();

  private:
    explicit Transaction(Connection& connection) : connection_(&connection) {}
    Connection* connection_;
};

}  // namespace ff::store::postgres
