// Per-operator statistics and the popup's customer lookup, each one query over the call log.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store::sqlite {
namespace {

// Talk seconds are counted per call and floored, as Call::talk_seconds does, for ended calls that were
// answered. Orders are counted per call through the (call_id, order_id) index, only for calls in range.
constexpr std::string_view stats_sql = R"sql(
SELECT count(*),
       coalesce(sum(direction = 'inbound'), 0),
       coalesce(sum(direction = 'outbound'), 0),
       coalesce(sum(answer_ms IS NOT NULL), 0),
       coalesce(sum(end_reason = 'missed'), 0),
       coalesce(sum(CASE WHEN answer_ms IS NOT NULL AND end_ms IS NOT NULL AND end_ms > answer_ms
                         THEN (end_ms - answer_ms) / 1000 ELSE 0 END), 0),
       coalesce(sum(orders), 0),
       coalesce(sum(orders > 0), 0)
FROM (SELECT c.direction, c.answer_ms, c.end_ms, c.end_reason,
             (SELECT count(*) FROM call_orders o WHERE o.call_id = c.id) AS orders
      FROM calls c
      WHERE c.extension = ?1 AND c.start_ms >= ?2 AND c.start_ms < ?3)
)sql";

constexpr std::string_view last_customer_sql = R"sql(
SELECT customer_id, customer_name, customer_phone FROM calls
WHERE customer_id IS NOT NULL AND (from_number = ?1 OR to_number = ?1 OR customer_phone = ?1)
ORDER BY start_ms DESC, id DESC
LIMIT 1
)sql";

}  // namespace

calls::Result<OperatorStats> SqliteStorage::try_stats(const StatsQuery& request) {
    auto query = connection_.query(stats_sql);
    if (!query) return query.error();
    query.value().bind_all(request.extension, to_ms(request.from), to_ms(request.until));
    auto row = query.value().step();
    if (!row) return row.error();
    OperatorStats stats;
    stats.extension = request.extension;
    if (!row.value()) return stats;
    const Query& result = query.value();
    stats.total_calls = result.integer(0);
    stats.inbound_calls = result.integer(1);
    stats.outbound_calls = result.integer(2);
    stats.answered_calls = result.integer(3);
    stats.missed_calls = result.integer(4);
    stats.total_duration = result.integer(5);
    stats.orders_linked = result.integer(6);
    stats.calls_with_orders = result.integer(7);
    if (stats.answered_calls > 0) {
        // Rounded half up, in integers: (2t + a) / 2a.
        stats.average_duration =
            (2 * stats.total_duration + stats.answered_calls) / (2 * stats.answered_calls);
    }
    if (stats.total_calls > 0) {
        stats.conversion_rate =
            static_cast<double>(stats.calls_with_orders) / static_cast<double>(stats.total_calls);
    }
    return stats;
}

OperatorStats SqliteStorage::stats(const StatsQuery& query) {
    OperatorStats empty;
    empty.extension = query.extension;
    return value_or_logged(try_stats(query), "computing statistics of extension " + query.extension, empty);
}

calls::Result<std::optional<calls::Customer>> SqliteStorage::try_last_customer_for_phone(
    const std::string& phone) {
    if (phone.empty()) return std::optional<calls::Customer>{};
    auto query = connection_.query(last_customer_sql);
    if (!query) return query.error();
    query.value().bind(1, phone);
    auto row = query.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<calls::Customer>{};
    const Query& result = query.value();
    return std::optional<calls::Customer>(calls::Customer{result.text(0), result.text(1), result.text(2)});
}

std::optional<calls::Customer> SqliteStorage::last_customer_for_phone(const std::string& phone) {
    // The phone is the customer's: it stays out of the log line.
    return value_or_logged(try_last_customer_for_phone(phone), "looking up the customer of a phone number",
                           std::optional<calls::Customer>{});
}

}  // namespace ff::store::sqlite
