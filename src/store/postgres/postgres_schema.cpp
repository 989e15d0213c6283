// PostgreSQL schema steps, the same tables as SQLite's. Released steps are never edited: a change is a new
// step.
#include "store/postgres/postgres_schema.hpp"

#include <array>
#include <string>

namespace ff::store::postgres {
namespace {

// Times are milliseconds since the Unix epoch (UTC), as in SQLite, so both backends read alike.
// call_orders has its own identity because PostgreSQL has no rowid to keep the linking order by.
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
    start_ms        BIGINT NOT NULL,
    answer_ms       BIGINT,
    end_ms          BIGINT,
    transfer_target TEXT NOT NULL DEFAULT '',
    customer_id     TEXT,
    customer_name   TEXT,
    customer_phone  TEXT
);
CREATE INDEX calls_from_number ON calls (from_number);
CREATE INDEX calls_to_number ON calls (to_number);
CREATE INDEX calls_customer_phone ON calls (customer_phone);
CREATE INDEX calls_extension_start ON calls (extension, start_ms);
CREATE INDEX calls_start ON calls (start_ms DESC, id DESC);

CREATE TABLE call_orders (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id   TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    order_id  TEXT NOT NULL,
    linked_ms BIGINT NOT NULL,
    UNIQUE (call_id, order_id)
);

CREATE TABLE call_notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_ms BIGINT NOT NULL
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
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);
)sql";

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
    position     BIGINT NOT NULL
);
)sql";

// As in SQLite: each operator who had a call, in order; older calls get the turn their extension implies.
constexpr std::string_view operator_turns_sql = R"sql(
CREATE TABLE call_operators (
    call_id        TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    extension      TEXT NOT NULL,
    from_ms        BIGINT NOT NULL,
    answered_ms    BIGINT,
    until_ms       BIGINT,
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
ALTER TABLE calls ADD COLUMN one_way_audio boolean NOT NULL DEFAULT false;
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
    from_ms   BIGINT NOT NULL,
    until_ms  BIGINT
);
CREATE INDEX operator_states_extension_from ON operator_states (extension, from_ms);
)sql";

// Webhook subscriptions and their outbox: each event once, and one delivery per webhook that wants it, in
// the order written (seq); a delivery is claimed by one instance at a time (claimed_until_ms, and row locks
// skipped by the other instances' claims).
constexpr std::string_view webhooks_sql = R"sql(
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY NOT NULL,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL,
    occurred_ms BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL REFERENCES webhook_events (id),
    ordering_key     TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_ms       BIGINT NOT NULL,
    next_attempt_ms  BIGINT NOT NULL,
    last_attempt_ms  BIGINT,
    http_status      INTEGER,
    error            TEXT NOT NULL DEFAULT '',
    claimed_by       TEXT NOT NULL DEFAULT '',
    claimed_until_ms BIGINT NOT NULL DEFAULT 0,
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
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
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

// PostgreSQL has no user_version: the applied steps are rows, so a database shows its own history.
constexpr std::string_view version_table_sql = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_ms BIGINT NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
)
)sql";

// One transaction-scoped advisory lock serialises instances migrating the same database at once.
constexpr std::string_view lock_sql = "SELECT pg_advisory_xact_lock(7362837461)";
constexpr std::string_view current_version_sql = "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr std::string_view record_step_sql = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

calls::Result<int> read_version(Connection& connection) {
    auto rows = connection.run(current_version_sql);
    if (!rows) return rows.error();
    return static_cast<int>(rows.value().integer(0, 0));
}

calls::Status create_version_table(Connection& connection) {
    auto transaction = Transaction::begin(connection);
    if (!transaction) return transaction.error();
    if (auto locked = connection.run(lock_sql); !locked) return locked.error();
    if (auto status = connection.exec(version_table_sql); !status) return status;
    return transaction.value().commit();
}

calls::Status apply_step(Connection& connection, const Migration& step) {
    auto transaction = Transaction::begin(connection);
    if (!transaction) return transaction.error();
    if (auto locked = connection.run(lock_sql); !locked) return locked.error();
    // Another instance may have migrated while we waited for the lock: look again inside it.
    auto current = read_version(connection);
    if (!current) return current.error();
    if (current.value() >= step.version) return calls::Done{};

    if (auto status = connection.exec(step.sql); !status) {
        return calls::make_error(calls::ErrorCode::internal,
                                 "database schema step " + std::to_string(step.version) + " (" +
                                     std::string(step.name) + ") failed: " + status.error().message);
    }
    if (auto recorded = connection.run(record_step_sql, parameters(step.version, step.name)); !recorded)
        return recorded.error();
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
    if (auto status = create_version_table(connection); !status) return status;
    auto current = read_version(connection);
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

}  // namespace ff::store::postgres
