// Per-operator statistics and the popup's customer lookup, each one query over the call log.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

namespace ff::store::postgres {
namespace {

// The same counts as SQLite's query: talk seconds floored per call for ended answered calls, orders
// counted per call for calls in range only. Sums are cast back from numeric to bigint.
constexpr std::string_view stats_sql = R"sql(
SELECT count(*),
       count(*) FILTER (WHERE direction = 'inbound'),
       count(*) FILTER (WHERE direction = 'outbound'),
       count(*) FILTER (WHERE answer_ms IS NOT NULL),
       count(*) FILTER (WHERE end_reason = 'missed'),
       coalesce(sum(CASE WHEN answer_ms IS NOT NULL AND end_ms IS NOT NULL AND end_ms > answer_ms
                         THEN (end_ms - answer_ms) / 1000 ELSE 0 END), 0)::bigint,
       coalesce(sum(orders), 0)::bigint,
       count(*) FILTER (WHERE orders > 0)
FROM (SELECT c.direction, c.answer_ms, c.end_ms, c.end_reason,
             (SELECT count(*) FROM call_orders o WHERE o.call_id = c.id) AS orders
      FROM calls c
      WHERE c.extension = $1 AND c.start_ms >= $2 AND c.start_ms < $3) AS in_range
)sql";

constexpr std::string_view last_customer_sql = R"sql(
SELECT customer_id, customer_name, customer_phone FROM calls
WHERE customer_id IS NOT NULL AND (from_number = $1 OR to_number = $1 OR customer_phone = $1)
ORDER BY start_ms DESC, id DESC
LIMIT 1
)sql";

}  // namespace

calls::Result<OperatorStats> PostgresStorage::try_stats(const StatsQuery& request) {
    auto rows =
        connection_.read(stats_sql, parameters(request.extension, to_ms(request.from), to_ms(request.until)));
    if (!rows) return rows.error();
    OperatorStats stats;
    stats.extension = request.extension;
    const Rows& result = rows.value();
    if (result.size() == 0) return stats;
    stats.total_calls = result.integer(0, 0);
    stats.inbound_calls = result.integer(0, 1);
    stats.outbound_calls = result.integer(0, 2);
    stats.answered_calls = result.integer(0, 3);
    stats.missed_calls = result.integer(0, 4);
    stats.total_duration = result.integer(0, 5);
    stats.orders_linked = result.integer(0, 6);
    stats.calls_with_orders = result.integer(0, 7);
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

OperatorStats PostgresStorage::stats(const StatsQuery& query) {
    OperatorStats empty;
    empty.extension = query.extension;
    return value_or_logged(try_stats(query), "computing statistics of extension " + query.extension, empty);
}

calls::Result<std::optional<calls::Customer>> PostgresStorage::try_last_customer_for_phone(
    const std::string& phone) {
    if (phone.empty()) return std::optional<calls::Customer>{};
    auto rows = connection_.read(last_customer_sql, parameters(phone));
    if (!rows) return rows.error();
    if (rows.value().size() == 0) return std::optional<calls::Customer>{};
    const Rows& result = rows.value();
    return std::optional<calls::Customer>(
        calls::Customer{result.text(0, 0), result.text(0, 1), result.text(0, 2)});
}

std::optional<calls::Customer> PostgresStorage::last_customer_for_phone(const std::string& phone) {
    // The phone is the customer's: it stays out of the log line.
    return value_or_logged(try_last_customer_for_phone(phone), "looking up the customer of a phone number",
                           std::optional<calls::Customer>{});
}

}  // namespace ff::store::postgres
