// Per-operator counts (the figures derived from them: storage_shared.cpp) and the popup's customer lookup,
// each one query over the call log.
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

calls::Result<StatsCounts> SqliteStorage::count_calls(const StatsQuery& request) {
    auto query = connection_.query(stats_sql);
    if (!query) return query.error();
    query.value().bind_all(request.extension, to_ms(request.from), to_ms(request.until));
    auto row = query.value().step();
    if (!row) return row.error();
    if (!row.value()) return StatsCounts{};
    const Query& result = query.value();
    return StatsCounts{result.integer(0), result.integer(1), result.integer(2), result.integer(3),
                       result.integer(4), result.integer(5), result.integer(6), result.integer(7)};
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
