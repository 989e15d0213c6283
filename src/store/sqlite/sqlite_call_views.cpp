// The calls behind the callback list and the queues' figures, from SQLite.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"
#include "store/row_readers.hpp"

#include <string>

namespace ff::store::sqlite {
namespace {

// The whole list (its window), oldest first.
const std::string contacts_sql = std::string(contact_columns) + R"sql(
WHERE start_ms >= ?1 AND (answer_ms IS NOT NULL OR (direction = 'inbound' AND status = 'ended'))
ORDER BY start_ms
)sql";

// One number's calls from the last answered call that started before ?3 on (the run of unanswered calls a call
// started at ?3 belongs to begins after it), and from ?1 at the earliest. Each direction is a query of its
// own, so that each reads the (number, start_ms) index from the bound on: an "OR" of the two made SQLite read
// all of the number's calls, and a number calling many times a day made each lookup slower than the last.
const std::string contacts_around_sql = R"sql(
WITH bound(start_ms) AS (SELECT MAX(?1,
    COALESCE((SELECT start_ms FROM calls WHERE from_number = ?2 AND start_ms < ?3 AND direction = 'inbound'
              AND answer_ms IS NOT NULL ORDER BY start_ms DESC LIMIT 1), ?1),
    COALESCE((SELECT start_ms FROM calls WHERE to_number = ?2 AND start_ms < ?3 AND direction = 'outbound'
              AND answer_ms IS NOT NULL ORDER BY start_ms DESC LIMIT 1), ?1)))
)sql" + std::string(contact_columns) + R"sql(
WHERE from_number = ?2 AND start_ms >= (SELECT start_ms FROM bound) AND direction = 'inbound'
  AND (answer_ms IS NOT NULL OR status = 'ended')
UNION ALL
)sql" + std::string(contact_columns) + R"sql(
WHERE to_number = ?2 AND start_ms >= (SELECT start_ms FROM bound) AND direction = 'outbound'
  AND answer_ms IS NOT NULL
ORDER BY 5
)sql";

// Calls to the queue's line; those a member took were inbound to it all the same.
constexpr std::string_view queue_calls_sql = R"sql(
SELECT start_ms, answer_ms, end_ms FROM calls
WHERE direction = 'inbound' AND to_number = ?1 AND start_ms >= ?2 AND start_ms < ?3
)sql";

calls::Result<std::vector<calls::CallbackContact>> read_contacts(Query& query) {
    std::vector<calls::CallbackContact> contacts;
    for (;;) {
        auto row = query.step();
        if (!row) return row.error();
        if (!row.value()) return contacts;
        contacts.push_back(contact_from_row(query));
    }
}

}  // namespace

calls::Result<std::vector<calls::QueueCallTimes>> SqliteStorage::select_queue_calls(const std::string& queue,
                                                                                  calls::TimePoint from,
                                                                                  calls::TimePoint until) {
    auto query = connection_.query(queue_calls_sql);
    if (!query) return query.error();
    query.value().bind_all(queue, to_ms(from), to_ms(until));
    std::vector<calls::QueueCallTimes> calls;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return calls;
        const Query& result = query.value();
        calls.push_back({from_ms(result.integer(0)), from_ms(result.optional_integer(1)), from_ms(result.optional_integer(2))});
    }
}

calls::Result<std::vector<calls::CallbackContact>> SqliteStorage::select_callback_contacts(calls::TimePoint since) {
    auto query = connection_.query(contacts_sql);
    if (!query) return query.error();
    query.value().bind_all(to_ms(since));
    return read_contacts(query.value());
}

calls::Result<std::vector<calls::CallbackContact>> SqliteStorage::select_callback_contacts_around(
    const std::string& phone, calls::TimePoint since, calls::TimePoint call_start) {
    auto query = connection_.query(contacts_around_sql);
    if (!query) return query.error();
    query.value().bind_all(to_ms(since), phone, to_ms(call_start));
    return read_contacts(query.value());
}

}  // namespace ff::store::sqlite
