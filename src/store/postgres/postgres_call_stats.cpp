// Per-operator counts (the figures derived from them: storage_shared.cpp) and the popup's customer lookup,
// each one query over the call log.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

namespace ff::store::postgres {
namespace {

// The same counts as SQLite's query, over the operator's turns (see there). Sums are cast back from numeric
// to bigint.
constexpr std::string_view stats_sql = R"sql(
WITH turns AS (
    SELECT t.call_id, t.position, t.answered_ms, t.until_ms,
           CASE WHEN t.position = 0 THEN NULL ELSE t.from_ms END AS orders_from,
           (SELECT min(n.from_ms) FROM call_operators n
            WHERE n.call_id = t.call_id AND n.position > t.position) AS orders_until,
           NOT EXISTS (SELECT 1 FROM call_operators n
                       WHERE n.call_id = t.call_id AND n.position > t.position) AS last_turn
    FROM call_operators t JOIN calls c ON c.id = t.call_id
    WHERE t.extension = $1 AND c.start_ms >= $2 AND c.start_ms < $3
      AND ($4 = '' OR c.dialled_number = $4)
),
mine AS (
    SELECT call_id,
           bool_or(answered_ms IS NOT NULL) AS answered,
           sum(CASE WHEN answered_ms IS NOT NULL AND until_ms IS NOT NULL AND until_ms > answered_ms
                    THEN (until_ms - answered_ms) / 1000 ELSE 0 END) AS talk,
           sum((SELECT count(*) FROM call_orders o
                WHERE o.call_id = turns.call_id
                  AND (orders_from IS NULL OR o.linked_ms >= orders_from)
                  AND (orders_until IS NULL OR o.linked_ms < orders_until))) AS orders,
           bool_or(last_turn) AS had_it_last
    FROM turns GROUP BY call_id
)
SELECT count(*),
       count(*) FILTER (WHERE c.direction = 'inbound'),
       count(*) FILTER (WHERE c.direction = 'outbound'),
       count(*) FILTER (WHERE mine.answered),
       count(*) FILTER (WHERE c.end_reason = 'missed' AND mine.had_it_last),
       coalesce(sum(mine.talk), 0)::bigint,
       coalesce(sum(mine.orders), 0)::bigint,
       count(*) FILTER (WHERE mine.orders > 0),
       count(*) FILTER (WHERE c.one_way_audio)
FROM mine JOIN calls c ON c.id = mine.call_id
)sql";

// The newest of three lookups, each the first row of a partial index of calls with a customer, as for SQLite
// (sqlite_call_stats.cpp).
constexpr std::string_view last_customer_sql = R"sql(
SELECT customer_id, customer_name, customer_phone FROM (
  (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
   WHERE from_number = $1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1)
  UNION ALL
  (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
   WHERE to_number = $1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1)
  UNION ALL
  (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
   WHERE customer_phone = $1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1)) AS newest
ORDER BY start_ms DESC, id DESC
LIMIT 1
)sql";

}  // namespace

calls::Result<StatsCounts> PostgresStorage::count_calls(const StatsQuery& request) {
    auto rows =
        connection_.read(stats_sql, parameters(request.extension, to_ms(request.from), to_ms(request.until), request.dialled));
    if (!rows) return rows.error();
    const Rows& result = rows.value();
    if (result.size() == 0) return StatsCounts{};
    return StatsCounts{result.integer(0, 0), result.integer(0, 1), result.integer(0, 2),
                       result.integer(0, 3), result.integer(0, 4), result.integer(0, 5),
                       result.integer(0, 6), result.integer(0, 7), result.integer(0, 8)};
}

calls::Result<std::optional<calls::Customer>> PostgresStorage::select_last_customer(
    const std::string& phone) {
    auto rows = connection_.read(last_customer_sql, parameters(phone));
    if (!rows) return rows.error();
    if (rows.value().size() == 0) return std::optional<calls::Customer>{};
    const Rows& result = rows.value();
    return std::optional<calls::Customer>(
        calls::Customer{result.text(0, 0), result.text(0, 1), result.text(0, 2)});
}

}  // namespace ff::store::postgres
