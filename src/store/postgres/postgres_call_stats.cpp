// Per-operator counts (the figures derived from them: storage_shared.cpp) and the popup's customer lookup,
// each one query over the call log.
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

calls::Result<StatsCounts> PostgresStorage::count_calls(const StatsQuery& request) {
    auto rows =
        connection_.read(stats_sql, parameters(request.extension, to_ms(request.from), to_ms(request.until)));
    if (!rows) return rows.error();
    const Rows& result = rows.value();
    if (result.size() == 0) return StatsCounts{};
    return StatsCounts{result.integer(0, 0), result.integer(0, 1), result.integer(0, 2),
                       result.integer(0, 3), result.integer(0, 4), result.integer(0, 5),
                       result.integer(0, 6), result.integer(0, 7)};
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
