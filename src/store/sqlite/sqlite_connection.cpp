// Thin RAII layer over the SQLite C API; every failure comes back as a Result naming what was being done.
#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

namespace ff::store::sqlite {

void DatabaseCloser::operator()(sqlite3* database) const {
    sqlite3_close_v2(database);
}
void StatementFinalizer::operator()(sqlite3_stmt* statement) const {
    sqlite3_finalize(statement);
}

calls::Error database_error(const Connection& connection, std::string_view doing) {
    return calls::make_error(calls::ErrorCode::internal,
                             "database error while " + std::string(doing) + ": " + connection.last_error());
}

// The start of a statement's text, on one line, to say which statement failed without quoting a page of SQL.
std::string sql_excerpt(std::string_view sql) {
    std::string excerpt;
    for (const char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (excerpt.empty() || excerpt.back() == ' ')) continue;
        excerpt.push_back(space ? ' ' : c);
        if (excerpt.size() >= 60) return excerpt + "...";
    }
    return excerpt;
}

// ---- Query

Query::Query(Connection& connection, sqlite3_stmt* statement, bool* in_use)
    : connection_(&connection), statement_(statement), in_use_(in_use) {
    *in_use_ = true;
}

Query::Query(Query&& other) noexcept
    : connection_(other.connection_),
      statement_(other.statement_),
      in_use_(other.in_use_),
      bind_error_(other.bind_error_) {
    other.statement_ = nullptr;
    other.in_use_ = nullptr;
}

Query::~Query() {
    if (statement_ == nullptr) return;
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *in_use_ = false;
}

void Query::note_bind_result(int code) {
    if (code != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = code;
}

Query& Query::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies the text, so temporaries are safe to bind.
    note_bind_result(
        sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Query& Query::bind(int index, std::int64_t number) {
    note_bind_result(sqlite3_bind_int64(statement_, index, number));
    return *this;
}

Query& Query::bind(int index, std::optional<std::int64_t> number) {
    return number ? bind(index, *number) : bind_null(index);
}

Query& Query::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Query& Query::bind_null(int index) {
    note_bind_result(sqlite3_bind_null(statement_, index));
    return *this;
}

calls::Result<bool> Query::step() {
    if (bind_error_ != SQLITE_OK) {
        return calls::make_error(calls::ErrorCode::internal,
                                 std::string("database error while binding parameters: ") +
                                     sqlite3_errstr(bind_error_) + " in " +
                                     sql_excerpt(sqlite3_sql(statement_)));
    }
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return database_error(*connection_, "running " + sql_excerpt(sqlite3_sql(statement_)));
}

calls::Status Query::run() {
    for (;;) {
        auto more = step();
        if (!more) return more.error();
        if (!more.value()) return calls::Done{};
    }
}

bool Query::is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Query::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> Query::optional_integer(int column) const {
    if (is_null(column)) return std::nullopt;
    return integer(column);
}

double Query::real(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::string Query::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    if (bytes == nullptr) return {};
    const int size = sqlite3_column_bytes(statement_, column);
    return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

std::optional<std::string> Query::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

// ---- Connection

calls::Result<Connection> Connection::open(const std::string& path) {
    sqlite3* raw = nullptr;
    // NOMUTEX: one thread (the store worker) uses the connection at a time, so SQLite's own locking is waste.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    DatabaseHandle database(raw);
    if (code != SQLITE_OK) {
        const std::string reason = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(code);
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "cannot open the SQLite database " + path + ": " + reason);
    }
    sqlite3_extended_result_codes(raw, 1);
    return Connection(std::move(database));
}

Connection::~Connection() = default;

calls::Status Connection::exec(const char* sql) {
    char* message = nullptr;
    const int code = sqlite3_exec(database_.get(), sql, nullptr, nullptr, &message);
    if (code == SQLITE_OK) return calls::Done{};
    std::string reason = message != nullptr ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    // Long scripts (migrations) are named by their caller; short ones (pragmas, BEGIN) name themselves.
    const std::string_view text(sql);
    const std::string what = text.size() <= 80 ? " while running " + std::string(text) : std::string();
    return calls::make_error(calls::ErrorCode::internal,
                             "database error" + what + ": " + reason + " (" + sqlite3_errstr(code) + ")");
}

calls::Result<Query> Connection::query(std::string_view sql) {
    auto found = statements_.find(std::string(sql));
    if (found == statements_.end()) {
        sqlite3_stmt* raw = nullptr;
        const int code = sqlite3_prepare_v3(database_.get(), sql.data(), static_cast<int>(sql.size()),
                                            SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        StatementHandle statement(raw);
        if (code != SQLITE_OK) return database_error(*this, "preparing " + sql_excerpt(sql));
        found = statements_.emplace(std::string(sql), CachedStatement{std::move(statement)}).first;
    }
    CachedStatement& cached = found->second;
    // A statement is one cursor: two live uses of it would corrupt each other's results.
    if (*cached.in_use) {
        return calls::make_error(calls::ErrorCode::internal,
                                 "database statement used twice at once: " + sql_excerpt(sql));
    }
    return Query(*this, cached.statement.get(), cached.in_use.get());
}

std::int64_t Connection::changes() const {
    return sqlite3_changes64(database_.get());
}

std::int64_t Connection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(database_.get());
}

std::string Connection::last_error() const {
    const int code = sqlite3_extended_errcode(database_.get());
    return std::string(sqlite3_errmsg(database_.get())) + " (" + sqlite3_errstr(code) + ")";
}

int Connection::last_error_code() const {
    return sqlite3_extended_errcode(database_.get());
}

// ---- Transaction

calls::Result<Transaction> Transaction::begin(Connection& connection) {
    // IMMEDIATE takes the write lock now, so a busy database is waited for here (busy_timeout)
    // rather than failing half-way through the writes.
    if (auto status = connection.exec("BEGIN IMMEDIATE"); !status) return status.error();
    return Transaction(connection);
}

Transaction::~Transaction() {
    if (connection_ != nullptr) (void)connection_->exec("ROLLBACK");
}

calls::Status Transaction::commit() {
    if (connection_ == nullptr)
        return calls::make_error(calls::ErrorCode::internal, "transaction already finished");
    auto status = connection_->exec("COMMIT");
    if (status) connection_ = nullptr;
    return status;
}

}  // namespace ff::store::sqlite
