// The calls behind the callback list and the queues' figures, from PostgreSQL.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "store/row_readers.hpp"

#include <string>

namespace ff::store::postgres {
namespace {

// The whole list (its window), oldest first.
const std::string contacts_sql = std::string(contact_columns) + R"sql(
WHERE start_ms >= $1 AND (answer_ms IS NOT NULL OR (direction = 'inbound' AND status = 'ended'))
ORDER BY start_ms
)sql";

// One number's calls from the last answered call that started before $3 on (the run of unanswered calls a call
// started at $3 belongs to begins after it), and from $1 at the earliest: each direction a query of its own
// on its (number, start_ms) index, as for SQLite (sqlite_call_views.cpp).
const std::string contacts_around_sql = R"sql(
WITH bound AS (SELECT GREATEST($1::BIGINT,
    (SELECT start_ms FROM calls WHERE from_number = $2 AND start_ms < $3 AND direction = 'inbound'
       AND answer_ms IS NOT NULL ORDER BY start_ms DESC LIMIT 1),
    (SELECT start_ms FROM calls WHERE to_number = $2 AND start_ms < $3 AND direction = 'outbound'
       AND answer_ms IS NOT NULL ORDER BY start_ms DESC LIMIT 1)) AS start_ms)
)sql" + std::string(contact_columns) + R"sql(
WHERE from_number = $2 AND start_ms >= (SELECT start_ms FROM bound) AND direction = 'inbound'
  AND (answer_ms IS NOT NULL OR status = 'ended')
UNION ALL
)sql" + std::string(contact_columns) + R"sql(
WHERE to_number = $2 AND start_ms >= (SELECT start_ms FROM bound) AND direction = 'outbound'
  AND answer_ms IS NOT NULL
ORDER BY 5
)sql";

// Calls to the queue's line; those a member took were inbound to it all the same.
constexpr std::string_view queue_calls_sql = R"sql(
SELECT start_ms, answer_ms, end_ms FROM calls
WHERE direction = 'inbound' AND to_number = $1 AND start_ms >= $2 AND start_ms < $3
)sql";

calls::Result<std::vector<calls::CallbackContact>> read_contacts(calls::Result<Rows> rows) {
    if (!rows) return rows.error();
    std::vector<calls::CallbackContact> contacts;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) contacts.push_back(contact_from_row(RowView(result, row)));
    return contacts;
}

}  // namespace

calls::Result<std::vector<calls::QueueCallTimes>> PostgresStorage::select_queue_calls(const std::string& queue,
                                                                                    calls::TimePoint from,
                                                                                    calls::TimePoint until) {
    auto rows = connection_.read(queue_calls_sql, parameters(queue, to_ms(from), to_ms(until)));
    if (!rows) return rows.error();
    std::vector<calls::QueueCallTimes> calls;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) {
        calls.push_back({from_ms(result.integer(row, 0)), from_ms(result.optional_integer(row, 1)),
                         from_ms(result.optional_integer(row, 2))});
    }
    return calls;
}

calls::Result<std::vector<calls::CallbackContact>> PostgresStorage::select_callback_contacts(calls::TimePoint since) {
    return read_contacts(connection_.read(contacts_sql, parameters(to_ms(since))));
}

calls::Result<std::vector<calls::CallbackContact>> PostgresStorage::select_callback_contacts_around(
    const std::string& phone, calls::TimePoint since, calls::TimePoint call_start) {
    return read_contacts(connection_.read(contacts_around_sql, parameters(to_ms(since), phone, to_ms(call_start))));
}

}  // namespace ff::store::postgres
