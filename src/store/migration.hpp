// A schema migration step; each backend keeps its own numbered list in its own dialect.
#pragma once

#include <string_view>

namespace ff::store {

// Steps are applied in ascending `version`, each inside one transaction together with recording the
// new version, so a crash leaves the schema at a whole step. Versions start at 1 and never change
// once released: a later change is a new step.
struct Migration {
    int version;
    std::string_view name;  // what the step does, for messages
    std::string_view sql;   // one or more statements in the backend's dialect
};

// Lookups by number bounded in time: a number's calls from a given start on (the callback watch, the history
// by number, a queue's calls) and the last call of a number that named a customer (the popup), so that a
// number with years of calls, or one calling many times a day, costs a few index rows, not all its calls.
// The partial indexes hold only calls with a customer, so the popup's lookup skips no call without one.
// Written once for both backends: plain SQL that both dialects read alike.
inline constexpr std::string_view number_time_indexes_sql = R"sql(
DROP INDEX calls_from_number;
DROP INDEX calls_to_number;
DROP INDEX calls_customer_phone;
CREATE INDEX calls_from_number_start ON calls (from_number, start_ms);
CREATE INDEX calls_to_number_start ON calls (to_number, start_ms);
CREATE INDEX calls_customer_by_from ON calls (from_number, start_ms, id) WHERE customer_id IS NOT NULL;
CREATE INDEX calls_customer_by_to ON calls (to_number, start_ms, id) WHERE customer_id IS NOT NULL;
CREATE INDEX calls_customer_by_phone ON calls (customer_phone, start_ms, id) WHERE customer_id IS NOT NULL;
)sql";

}  // namespace ff::store
