// The calls behind the callback list and the queues' figures, from PostgreSQL.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

#include <string>

namespace ff::store::postgres {
namespace {

// The whole list (its window), or one number's part of it: a query of its own, so that the two number columns'
// indexes serve it (a "$2 IS NULL OR ..." condition made every lookup read the whole window's calls).
constexpr std::string_view contacts_select = R"sql(
SELECT id, direction, CASE WHEN direction = 'inbound' THEN from_number ELSE to_number END, extension,
       start_ms, answer_ms, end_ms, end_reason, customer_id, customer_name, customer_phone
FROM calls
WHERE start_ms >= $1
  AND (answer_ms IS NOT NULL OR (direction = 'inbound' AND status = 'ended'))
)sql";
const std::string contacts_sql = std::string(contacts_select) + "ORDER BY start_ms";
const std::string contacts_of_number_sql =
    std::string(contacts_select) +
    "AND ((direction = 'inbound' AND from_number = $2) OR (direction = 'outbound' AND to_number = $2)) ORDER BY start_ms";

// Calls to the queue's line; those a member took were inbound to it all the same.
constexpr std::string_view queue_calls_sql = R"sql(
SELECT start_ms, answer_ms, end_ms FROM calls
WHERE direction = 'inbound' AND to_number = $1 AND start_ms >= $2 AND start_ms < $3
)sql";

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

calls::Result<std::vector<calls::CallbackContact>> PostgresStorage::select_callback_contacts(
    calls::TimePoint since, const std::optional<std::string>& phone) {
    auto rows = phone ? connection_.read(contacts_of_number_sql, parameters(to_ms(since), *phone))
                      : connection_.read(contacts_sql, parameters(to_ms(since)));
    if (!rows) return rows.error();
    std::vector<calls::CallbackContact> contacts;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) {
        calls::CallbackContact contact;
        contact.call_id = result.text(row, 0);
        contact.direction = calls::parse_direction(result.text(row, 1)).value_or(calls::Direction::inbound);
        contact.phone = result.text(row, 2);
        contact.extension = result.text(row, 3);
        contact.start = from_ms(result.integer(row, 4));
        contact.answered = from_ms(result.optional_integer(row, 5));
        contact.ended = from_ms(result.optional_integer(row, 6));
        contact.end_reason = calls::parse_end_reason(result.text(row, 7)).value_or(calls::EndReason::none);
        if (!result.is_null(row, 8))
            contact.customer = calls::Customer{result.text(row, 8), result.text(row, 9), result.text(row, 10)};
        contacts.push_back(std::move(contact));
    }
    return contacts;
}

}  // namespace ff::store::postgres
