// The operators' states over time in SQLite: a new state closes the open stretch and opens its own, in one
// transaction.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store::sqlite {

calls::Status SqliteStorage::record_operator_state(const calls::OperatorStatus& status) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto close = connection_.query("UPDATE operator_states SET until_ms = ?2 WHERE extension = ?1 AND until_ms IS NULL");
    if (!close) return close.error();
    close.value().bind_all(status.extension, to_ms(status.since));
    if (auto done = close.value().run(); !done) return done.error();
    auto open = connection_.query(
        "INSERT INTO operator_states (extension, state, reason, from_ms, until_ms) VALUES (?1, ?2, ?3, ?4, NULL)");
    if (!open) return open.error();
    open.value().bind_all(status.extension, std::string(calls::to_string(status.state)), status.reason,
                          to_ms(status.since));
    if (auto done = open.value().run(); !done) return done.error();
    return transaction.value().commit();
}

calls::Status SqliteStorage::close_operator_states(calls::TimePoint at) {
    auto query = connection_.query("UPDATE operator_states SET until_ms = max(from_ms, ?1) WHERE until_ms IS NULL");
    if (!query) return query.error();
    query.value().bind_all(to_ms(at));
    return query.value().run();
}

calls::Result<std::vector<OperatorStateSpan>> SqliteStorage::select_operator_states(const std::string& extension,
                                                                                   calls::TimePoint from,
                                                                                   calls::TimePoint until) {
    auto query = connection_.query(
        "SELECT extension, state, reason, from_ms, until_ms FROM operator_states "
        "WHERE extension = ?1 AND from_ms < ?3 AND (until_ms IS NULL OR until_ms > ?2) ORDER BY from_ms");
    if (!query) return query.error();
    query.value().bind_all(extension, to_ms(from), to_ms(until));
    std::vector<OperatorStateSpan> spans;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return spans;
        const Query& result = query.value();
        spans.push_back(OperatorStateSpan{result.text(0), result.text(1), result.text(2), from_ms(result.integer(3)),
                                          from_ms(result.optional_integer(4))});
    }
}

}  // namespace ff::store::sqlite
