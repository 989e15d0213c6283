// The operators' states over time in PostgreSQL: a new state closes the open stretch and opens its own, in
// one transaction.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

namespace ff::store::postgres {

calls::Status PostgresStorage::record_operator_state(const calls::OperatorStatus& status) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto closed = connection_.run("UPDATE operator_states SET until_ms = $2 WHERE extension = $1 AND until_ms IS NULL",
                                  parameters(status.extension, to_ms(status.since)));
    if (!closed) return closed.error();
    auto opened = connection_.run(
        "INSERT INTO operator_states (extension, state, reason, from_ms, until_ms) VALUES ($1, $2, $3, $4, NULL)",
        parameters(status.extension, std::string(calls::to_string(status.state)), status.reason,
                   to_ms(status.since)));
    if (!opened) return opened.error();
    return transaction.value().commit();
}

calls::Status PostgresStorage::close_operator_states(calls::TimePoint at) {
    auto rows = connection_.run("UPDATE operator_states SET until_ms = greatest(from_ms, $1) WHERE until_ms IS NULL",
                                parameters(to_ms(at)));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Result<std::vector<OperatorStateSpan>> PostgresStorage::select_operator_states(const std::string& extension,
                                                                                     calls::TimePoint from,
                                                                                     calls::TimePoint until) {
    auto rows = connection_.read(
        "SELECT extension, state, reason, from_ms, until_ms FROM operator_states "
        "WHERE extension = $1 AND from_ms < $3 AND (until_ms IS NULL OR until_ms > $2) ORDER BY from_ms",
        parameters(extension, to_ms(from), to_ms(until)));
    if (!rows) return rows.error();
    std::vector<OperatorStateSpan> spans;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) {
        spans.push_back(OperatorStateSpan{result.text(row, 0), result.text(row, 1), result.text(row, 2),
                                          from_ms(result.integer(row, 3)), from_ms(result.optional_integer(row, 4))});
    }
    return spans;
}

}  // namespace ff::store::postgres
