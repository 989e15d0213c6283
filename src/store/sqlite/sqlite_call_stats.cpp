// Per-operator counts (the figures derived from them: storage_shared.cpp) and the popup's customer lookup,
// each one query over the call log.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store::sqlite {
namespace {

// Counted over the operator's turns on calls that started in range (README "Statistics"): a call counts
// once for each operator who had it; answered when this operator took it; talk seconds floored per turn,
// for turns that are over; an order counts for the turn during which it was linked (a turn lasts until the
// next one starts; the last turn keeps what the CRM links after the call ended); missed when the call
// ended missed while this operator had it.
constexpr std::string_view stats_sql = R"sql(
WITH turns AS (
    SELECT t.call_id, t.position, t.answered_ms, t.until_ms,
           CASE WHEN t.position = 0 THEN NULL ELSE t.from_ms END AS orders_from,
           (SELECT min(n.from_ms) FROM call_operators n
            WHERE n.call_id = t.call_id AND n.position > t.position) AS orders_until,
           NOT EXISTS (SELECT 1 FROM call_operators n
                       WHERE n.call_id = t.call_id AND n.position > t.position) AS last_turn
    FROM call_operators t JOIN calls c ON c.id = t.call_id
    WHERE t.extension = ?1 AND c.start_ms >= ?2 AND c.start_ms < ?3
      AND (?4 = '' OR c.dialled_number = ?4)
),
mine AS (
    SELECT call_id,
           max(answered_ms IS NOT NULL) AS answered,
           sum(CASE WHEN answered_ms IS NOT NULL AND until_ms IS NOT NULL AND until_ms > answered_ms
                    THEN (until_ms - answered_ms) / 1000 ELSE 0 END) AS talk,
           sum((SELECT count(*) FROM call_orders o
                WHERE o.call_id = turns.call_id
                  AND (orders_from IS NULL OR o.linked_ms >= orders_from)
                  AND (orders_until IS NULL OR o.linked_ms < orders_until))) AS orders,
           max(last_turn) AS had_it_last
    FROM turns GROUP BY call_id
)
SELECT count(*),
       coalesce(sum(c.direction = 'inbound'), 0),
       coalesce(sum(c.direction = 'outbound'), 0),
       coalesce(sum(mine.answered), 0),
       coalesce(sum(c.end_reason = 'missed' AND mine.had_it_last), 0),
       coalesce(sum(mine.talk), 0),
       coalesce(sum(mine.orders), 0),
       coalesce(sum(mine.orders > 0), 0),
       coalesce(sum(c.one_way_audio), 0)
FROM mine JOIN calls c ON c.id = mine.call_id
)sql";

// The newest of three lookups, each the first row of a partial index of calls with a customer: one "OR" of the
// three read every call of the number, with or without a customer, and sorted them.
constexpr std::string_view last_customer_sql = R"sql(
SELECT customer_id, customer_name, customer_phone, start_ms, id FROM (
  SELECT * FROM (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
                 WHERE from_number = ?1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1)
  UNION ALL
  SELECT * FROM (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
                 WHERE to_number = ?1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1)
  UNION ALL
  SELECT * FROM (SELECT customer_id, customer_name, customer_phone, start_ms, id FROM calls
                 WHERE customer_phone = ?1 AND customer_id IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT 1))
ORDER BY start_ms DESC, id DESC
LIMIT 1
)sql";

}  // namespace

calls::Result<StatsCounts> SqliteStorage::count_calls(const StatsQuery& request) {
    auto query = connection_.query(stats_sql);
    if (!query) return query.error();
    query.value().bind_all(request.extension, to_ms(request.from), to_ms(request.until), request.dialled);
    auto row = query.value().step();
    if (!row) return row.error();
    if (!row.value()) return StatsCounts{};
    const Query& result = query.value();
    return StatsCounts{result.integer(0), result.integer(1), result.integer(2), result.integer(3),
                       result.integer(4), result.integer(5), result.integer(6), result.integer(7),
                       result.integer(8)};
}

calls::Result<std::optional<calls::Customer>> SqliteStorage::select_last_customer(const std::string& phone) {
    auto query = connection_.query(last_customer_sql);
    if (!query) return query.error();
    query.value().bind(1, phone);
    auto row = query.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<calls::Customer>{};
    const Query& result = query.value();
    return std::optional<calls::Customer>(calls::Customer{result.text(0), result.text(1), result.text(2)});
}

}  // namespace ff::store::sqlite
