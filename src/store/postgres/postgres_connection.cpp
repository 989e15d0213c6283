// libpq calls behind Connection: connecting, preparing each statement once, reading text results.
#include "store/postgres/postgres_connection.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace ff::store::postgres {
namespace {

// libpq's messages end with a newline and may span lines; a log line wants one line.
std::string one_line(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

calls::Error unavailable(std::string message) {
    return calls::make_error(calls::ErrorCode::unavailable, std::move(message));
}

// The server's warnings go to the service's log rather than libpq's default, stderr.
void log_notice(void* /*context*/, const char* message) {
    spdlog::warn("storage: PostgreSQL: {}", one_line(message));
}

// What every session needs, on the first connection and after a reconnection alike.
bool set_up_session(pg_conn* connection) {
    PQsetNoticeProcessor(connection, log_notice, nullptr);
    PGresult* result = PQexec(connection, "SET client_min_messages = warning");
    const bool done = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    return done;
}

}  // namespace

void ConnectionCloser::operator()(pg_conn* connection) const {
    PQfinish(connection);
}

void ResultClearer::operator()(pg_result* result) const {
    PQclear(result);
}

int Rows::size() const {
    return PQntuples(result_.get());
}

std::int64_t Rows::affected() const {
    const char* count = PQcmdTuples(result_.get());
    std::int64_t value = 0;
    std::from_chars(count, count + std::char_traits<char>::length(count), value);
    return value;
}

bool Rows::is_null(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::int64_t Rows::integer(int row, int column) const {
    return optional_integer(row, column).value_or(0);
}

std::optional<std::int64_t> Rows::optional_integer(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    const char* text = PQgetvalue(result_.get(), row, column);
    std::int64_t value = 0;
    std::from_chars(text, text + PQgetlength(result_.get(), row, column), value);
    return value;
}

std::string Rows::text(int row, int column) const {
    if (is_null(row, column)) return {};
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return text(row, column);
}

Connection::Connection(pg_conn* connection) : connection_(connection) {}

calls::Result<Connection> Connection::open(const std::string& conninfo) {
    // A server host that is gone drops packets rather than refusing: without these, a connection attempt
    // waits for the kernel's SYN retries (about two minutes) and a dead session is never noticed, and the
    // call log would not know the database is away. Defaults only: libpq takes the last value given for a
    // keyword, and the URL (expanded in place of dbname) comes after them, so its own settings win.
    const char* const keywords[] = {
        "connect_timeout",  "keepalives",       "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
    const char* const values[] = {"5", "1", "10", "5", "3", "15000", conninfo.c_str(), nullptr};
    Connection connection(PQconnectdbParams(keywords, values, 1));
    if (!connection.connection_) return unavailable("PostgreSQL: out of memory while connecting");
    if (PQstatus(connection.connection_.get()) != CONNECTION_OK) {
        // libpq names host, port, user and database here, never the password.
        return unavailable("cannot connect to PostgreSQL: " +
                           one_line(PQerrorMessage(connection.connection_.get())));
    }
    // Times are stored as epoch milliseconds, so the session's time zone never matters.
    if (!set_up_session(connection.connection_.get()))
        return unavailable("PostgreSQL: " + one_line(PQerrorMessage(connection.connection_.get())));
    return connection;
}

calls::Status Connection::ensure_connected() {
    if (PQstatus(connection_.get()) == CONNECTION_OK) return calls::Done{};
    prepared_.clear();
    PQreset(connection_.get());
    if (PQstatus(connection_.get()) != CONNECTION_OK || !set_up_session(connection_.get()))
        return unavailable("PostgreSQL connection lost: " + one_line(PQerrorMessage(connection_.get())));
    spdlog::info("storage: reconnected to PostgreSQL");
    return calls::Done{};
}

void Connection::abandon_transaction() {
    // A connection that is gone took its transaction with it: nothing to roll back, nothing to reopen.
    if (PQstatus(connection_.get()) != CONNECTION_OK) return;
    PQclear(PQexec(connection_.get(), "ROLLBACK"));
}

calls::Result<Rows> Connection::checked(pg_result* raw, std::string_view doing) {
    Rows rows(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        last_sqlstate_.clear();
        return rows;
    }
    const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    last_sqlstate_ = state != nullptr ? state : "";
    // The primary text only: DETAIL lines quote row values (a token's hash, a customer's phone).
    const char* primary = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* message = primary != nullptr ? primary : PQerrorMessage(connection_.get());
    // Class 08 is a lost connection: the server may come back, the statement itself was fine.
    const bool lost = PQstatus(connection_.get()) != CONNECTION_OK || last_sqlstate_.starts_with("08");
    return calls::make_error(lost ? calls::ErrorCode::unavailable : calls::ErrorCode::internal,
                             std::string(doing) + ": " + one_line(message) +
                                 (last_sqlstate_.empty() ? "" : " (SQLSTATE " + last_sqlstate_ + ")"));
}

calls::Status Connection::exec(std::string_view sql) {
    if (auto status = ensure_connected(); !status) return status;
    const std::string text(sql);
    auto rows = checked(PQexec(connection_.get(), text.c_str()), "PostgreSQL statement failed");
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Result<Rows> Connection::run(std::string_view sql, const std::vector<Parameter>& values) {
    if (auto status = ensure_connected(); !status) return status.error();
    std::string key(sql);
    auto found = prepared_.find(key);
    if (found == prepared_.end()) {
        std::string name = "ff_" + std::to_string(prepared_.size() + 1);
        auto prepared = checked(PQprepare(connection_.get(), name.c_str(), key.c_str(), 0, nullptr),
                                "preparing a PostgreSQL statement");
        if (!prepared) return prepared.error();
        found = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<const char*> texts;
    texts.reserve(values.size());
    for (const auto& value : values) texts.push_back(value ? value->c_str() : nullptr);
    return checked(PQexecPrepared(connection_.get(), found->second.c_str(), static_cast<int>(texts.size()),
                                  texts.data(), nullptr, nullptr, 0),
                   "PostgreSQL statement failed");
}

calls::Result<Rows> Connection::read(std::string_view sql, const std::vector<Parameter>& values) {
    // Only a session that looked alive and turned out dropped is worth a second try: one already known to be
    // down has just failed to reconnect, and trying again would double the wait while the server is away.
    const bool looked_alive = PQstatus(connection_.get()) == CONNECTION_OK;
    auto rows = run(sql, values);
    if (rows || !looked_alive || PQstatus(connection_.get()) == CONNECTION_OK) return rows;
    return run(sql, values);  // run() reconnects first
}

calls::Result<Transaction> Transaction::begin(Connection& connection) {
    if (auto status = connection.exec("BEGIN"); !status) return status.error();
    return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
}

Transaction::~Transaction() {
    if (connection_ != nullptr) connection_->abandon_transaction();
}

calls::Status Transaction::commit() {
    Connection* connection = connection_;
    connection_ = nullptr;
    return connection->exec("COMMIT");
}

}  // namespace ff::store::postgres
