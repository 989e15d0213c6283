// SQLite schema steps. Released steps are never edited: a change to the schema is a new step at the end.
#include "store/sqlite/sqlite_schema.hpp"

#include <array>
#include <string>

namespace ff::store::sqlite {
namespace {

// Times are milliseconds since the Unix epoch (UTC). Empty text fields are '' rather than NULL where
// the model has no "absent" for them; NULL means absent for times, the end reason and the customer.
constexpr std::string_view call_log_sql = R"sql(
CREATE TABLE calls (
    id              TEXT PRIMARY KEY NOT NULL,
    sip_call_id     TEXT NOT NULL DEFAULT '',
    direction       TEXT NOT NULL,
    from_number     TEXT NOT NULL,
    to_number       TEXT NOT NULL,
    extension       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    end_reason      TEXT,
    start_ms        INTEGER NOT NULL,
    answer_ms       INTEGER,
    end_ms          INTEGER,
    transfer_target TEXT NOT NULL DEFAULT '',
    customer_id     TEXT,
    customer_name   TEXT,
    customer_phone  TEXT
);
-- "calls from or to this number" and the popup's customer lookup
CREATE INDEX calls_from_number ON calls (from_number);
CREATE INDEX calls_to_number ON calls (to_number);
CREATE INDEX calls_customer_phone ON calls (customer_phone);
-- one operator's calls in a time range (statistics, an operator's history)
CREATE INDEX calls_extension_start ON calls (extension, start_ms);
-- newest first with a stable order between calls that started in the same millisecond (paging)
CREATE INDEX calls_start ON calls (start_ms DESC, id DESC);

CREATE TABLE call_orders (
    call_id   TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    order_id  TEXT NOT NULL,
    linked_ms INTEGER NOT NULL,
    UNIQUE (call_id, order_id)
);

CREATE TABLE call_notes (
    id         INTEGER PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX call_notes_call ON call_notes (call_id, id);
)sql";

constexpr std::string_view tokens_sql = R"sql(
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    extension  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
)sql";

// PBX settings are one JSON document per key; the user list is a table so each account is one row.
// The key 'sip_users_saved' records that the settings page saved the list (an empty list is a choice).
constexpr std::string_view settings_sql = R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE sip_users (
    extension    TEXT PRIMARY KEY NOT NULL,
    username     TEXT NOT NULL,
    password     TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL
);
)sql";

// Each operator who had a call, in order (transfers): an operator's history and statistics find the call
// through here. Calls logged before this step get the one turn their extension implies.
constexpr std::string_view operator_turns_sql = R"sql(
CREATE TABLE call_operators (
    call_id        TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    extension      TEXT NOT NULL,
    from_ms        INTEGER NOT NULL,
    answered_ms    INTEGER,
    until_ms       INTEGER,
    transferred_to TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (call_id, position)
);
CREATE INDEX call_operators_extension ON call_operators (extension, call_id);
INSERT INTO call_operators (call_id, position, extension, from_ms, answered_ms, until_ms, transferred_to)
SELECT id, 0, extension, start_ms, answer_ms, end_ms,
       CASE WHEN end_reason = 'transferred' THEN transfer_target ELSE '' END
FROM calls WHERE extension <> '';
)sql";

// MEDIA=rtpengine: what each direction of a call carried (the API's JSON form), and whether one side was not
// heard, kept apart so that statistics count such calls without reading JSON.
constexpr std::string_view media_report_sql = R"sql(
ALTER TABLE calls ADD COLUMN media TEXT;
ALTER TABLE calls ADD COLUMN one_way_audio INTEGER NOT NULL DEFAULT 0;
)sql";

// RECORDING: the state of the call's recording (the API's JSON form without its url), null if never recorded.
constexpr std::string_view recording_sql = R"sql(
ALTER TABLE calls ADD COLUMN recording TEXT;
)sql";

// The operators' states over time (calls/operator_board.hpp): one row a stretch, the open one without an end.
constexpr std::string_view operator_states_sql = R"sql(
CREATE TABLE operator_states (
    extension TEXT NOT NULL,
    state     TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    from_ms   INTEGER NOT NULL,
    until_ms  INTEGER
);
CREATE INDEX operator_states_extension_from ON operator_states (extension, from_ms);
)sql";

// Webhook subscriptions and their outbox: each event once, and one delivery per webhook that wants it, in
// the order written (seq); a delivery is claimed by one instance at a time (claimed_until_ms).
constexpr std::string_view webhooks_sql = R"sql(
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY NOT NULL,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL,
    occurred_ms INTEGER NOT NULL,
    body        TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL REFERENCES webhook_events (id),
    ordering_key     TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_ms       INTEGER NOT NULL,
    next_attempt_ms  INTEGER NOT NULL,
    last_attempt_ms  INTEGER,
    http_status      INTEGER,
    error            TEXT NOT NULL DEFAULT '',
    claimed_by       TEXT NOT NULL DEFAULT '',
    claimed_until_ms INTEGER NOT NULL DEFAULT 0,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_ms);
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook_id, ordering_key, seq);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
)sql";

// Inbound calls: the centre's number the customer dialled, its name, and the choice made in the PBX's IVR;
// the history and the statistics filter on the number.
constexpr std::string_view dialled_number_sql = R"sql(
ALTER TABLE calls ADD COLUMN dialled_number TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN dialled_name TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN ivr_choice TEXT NOT NULL DEFAULT '';
CREATE INDEX calls_dialled_number_start ON calls (dialled_number, start_ms);
)sql";

// The SMS sent to customers after their calls: one of each kind per call at most; the number's latest one
// tells whether the next waits (SMS_MIN_INTERVAL_MINUTES); calls.sms is the call's list as the API shows it.
constexpr std::string_view sms_sql = R"sql(
CREATE TABLE call_sms (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    UNIQUE (call_id, kind)
);
CREATE INDEX call_sms_phone ON call_sms (phone, created_ms);
ALTER TABLE calls ADD COLUMN sms TEXT;
)sql";


constexpr std::array<Migration, 11> steps{{
    {1, "call log: calls, linked orders, notes", call_log_sql},
    {2, "API tokens", tokens_sql},
    {3, "PBX settings and PBX users", settings_sql},
    {4, "the operators who had each call", operator_turns_sql},
    {5, "the media report of each call", media_report_sql},
    {6, "the recording of each call", recording_sql},
    {7, "the operators' states over time", operator_states_sql},
    {8, "webhooks and their outbox", webhooks_sql},
    {9, "the number each inbound call dialled, and its IVR choice", dialled_number_sql},
    {10, "the SMS sent to customers after their calls", sms_sql},
    {11, "lookups by number bounded in time", number_time_indexes_sql},
}};

calls::Result<int> read_user_version(Connection& connection) {
    auto query = connection.query("PRAGMA user_version");
    if (!query) return query.error();
    auto row = query.value().step();
    if (!row) return row.error();
    return static_cast<int>(query.value().integer(0));
}

calls::Status apply_step(Connection& connection, const Migration& step) {
    auto transaction = Transaction::begin(connection);
    if (!transaction) return transaction.error();
    // Another process may have migrated while we waited for the write lock: look again inside it.
    auto current = read_user_version(connection);
    if (!current) return current.error();
    if (current.value() >= step.version) return calls::Done{};

    const std::string sql(step.sql);
    if (auto status = connection.exec(sql.c_str()); !status) {
        return calls::make_error(calls::ErrorCode::internal,
                                 "database schema step " + std::to_string(step.version) + " (" +
                                     std::string(step.name) + ") failed: " + status.error().message);
    }
    // user_version lives in the database header and is written by this same transaction.
    const std::string set_version = "PRAGMA user_version = " + std::to_string(step.version);
    if (auto status = connection.exec(set_version.c_str()); !status) return status.error();
    return transaction.value().commit();
}

}  // namespace

std::span<const Migration> migrations() {
    return steps;
}

int latest_schema_version() {
    return steps.back().version;
}

calls::Status migrate(Connection& connection) {
    auto current = read_user_version(connection);
    if (!current) return current.error();
    if (current.value() > latest_schema_version()) {
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "the database schema is at version " + std::to_string(current.value()) +
                                     ", newer than this build knows (" +
                                     std::to_string(latest_schema_version()) +
                                     "); run a newer pjsip-service or restore a backup");
    }
    for (const Migration& step : steps) {
        if (step.version <= current.value()) continue;
        if (auto status = apply_step(connection, step); !status) return status;
    }
    return calls::Done{};
}

}  // namespace ff::store::sqlite
