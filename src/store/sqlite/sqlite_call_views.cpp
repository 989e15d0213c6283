// The calls behind the callback list and the queues' figures, from SQLite.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

#include <string>

namespace ff::store::sqlite {
namespace {

// The whole list (its window), or one number's part of it: a query of its own, so that the two number columns'
// indexes serve it (a "?2 IS NULL OR ..." condition made every lookup, one per answered or missed call,
// read the whole window's calls).
constexpr std::string_view contacts_select = R"sql(
SELECT id, direction, CASE WHEN direction = 'inbound' THEN from_number ELSE to_number END, extension,
       start_ms, answer_ms, end_ms, end_reason, customer_id, customer_name, customer_phone
FROM calls
WHERE start_ms >= ?1
  AND (answer_ms IS NOT NULL OR (direction = 'inbound' AND status = 'ended'))
)sql";
const std::string contacts_sql = std::string(contacts_select) + "ORDER BY start_ms";
const std::string contacts_of_number_sql =
    std::string(contacts_select) +
    "AND ((direction = 'inbound' AND from_number = ?2) OR (direction = 'outbound' AND to_number = ?2)) ORDER BY start_ms";

// Calls to the queue's line; those a member took were inbound to it all the same.
constexpr std::string_view queue_calls_sql = R"sql(
SELECT start_ms, answer_ms, end_ms FROM calls
WHERE direction = 'inbound' AND to_number = ?1 AND start_ms >= ?2 AND start_ms < ?3
)sql";

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

calls::Result<std::vector<calls::CallbackContact>> SqliteStorage::select_callback_contacts(
    calls::TimePoint since, const std::optional<std::string>& phone) {
    auto query = connection_.query(phone ? contacts_of_number_sql : contacts_sql);
    if (!query) return query.error();
    if (phone)
        query.value().bind_all(to_ms(since), *phone);
    else
        query.value().bind_all(to_ms(since));
    std::vector<calls::CallbackContact> contacts;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return contacts;
        const Query& result = query.value();
        calls::CallbackContact contact;
        contact.call_id = result.text(0);
        contact.direction = calls::parse_direction(result.text(1)).value_or(calls::Direction::inbound);
        contact.phone = result.text(2);
        contact.extension = result.text(3);
        contact.start = from_ms(result.integer(4));
        contact.answered = from_ms(result.optional_integer(5));
        contact.ended = from_ms(result.optional_integer(6));
        contact.end_reason = calls::parse_end_reason(result.text(7)).value_or(calls::EndReason::none);
        if (!result.is_null(8)) contact.customer = calls::Customer{result.text(8), result.text(9), result.text(10)};
        contacts.push_back(std::move(contact));
    }
}

}  // namespace ff::store::sqlite
