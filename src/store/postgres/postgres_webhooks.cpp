// Webhooks and their outbox in PostgreSQL. Several instances may claim at once: the claim locks the rows it
// picks and skips those another claim holds, so each delivery is sent by one instance at a time.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "store/webhook_columns.hpp"

namespace ff::store::postgres {
namespace {

// Due: pending, its time come, claimed by nobody (or by an instance whose claim ran out), and the oldest
// pending delivery of its call for its webhook, so that one call's events arrive in order.
constexpr std::string_view due_sql = R"sql(
SELECT d.seq, d.webhook_id, w.url, w.secret, d.event_id, e.type, e.body, d.attempts, d.created_ms
FROM webhook_deliveries d
JOIN webhooks w ON w.id = d.webhook_id
JOIN webhook_events e ON e.id = d.event_id
WHERE d.state = 'pending' AND d.next_attempt_ms <= $1 AND d.claimed_until_ms <= $1
  AND (d.ordering_key = '' OR NOT EXISTS (
        SELECT 1 FROM webhook_deliveries earlier
        WHERE earlier.webhook_id = d.webhook_id AND earlier.ordering_key = d.ordering_key
          AND earlier.state = 'pending' AND earlier.seq < d.seq))
ORDER BY d.seq
LIMIT $2
FOR UPDATE OF d SKIP LOCKED
)sql";

}  // namespace

calls::Status PostgresStorage::record(const std::vector<LogRecord>& records) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    for (const LogRecord& record : records) {
        if (record.call) {
            if (auto status = record_call(*record.call); !status) return status;
        }
        if (auto status = write_outbox(record.events); !status) return status;
    }
    return transaction.value().commit();
}

calls::Result<std::vector<Webhook>> PostgresStorage::list_webhooks() {
    auto rows = connection_.read("SELECT id, url, events, secret, created_ms FROM webhooks ORDER BY created_ms, id");
    if (!rows) return rows.error();
    std::vector<Webhook> webhooks;
    const Rows& r = rows.value();
    for (int row = 0; row < r.size(); ++row) {
        webhooks.push_back(Webhook{r.text(row, 0), r.text(row, 1), events_from_column(r.text(row, 2)),
                                   r.text(row, 3), r.integer(row, 4)});
    }
    return webhooks;
}

calls::Status PostgresStorage::insert_webhook(const Webhook& webhook) {
    auto rows = connection_.run("INSERT INTO webhooks (id, url, events, secret, created_ms) VALUES ($1, $2, $3, $4, $5)",
                                parameters(webhook.id, webhook.url, events_column(webhook.events), webhook.secret,
                                           webhook.created_ms));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::delete_webhook(const std::string& id) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    if (auto rows = connection_.run("DELETE FROM webhook_deliveries WHERE webhook_id = $1", parameters(id)); !rows)
        return rows.error();
    auto rows = connection_.run("DELETE FROM webhooks WHERE id = $1", parameters(id));
    if (!rows) return rows.error();
    if (rows.value().affected() == 0) return calls::make_error(calls::ErrorCode::not_found, "no webhook with id " + id);
    return transaction.value().commit();
}

calls::Status PostgresStorage::write_outbox(const std::vector<OutboxEvent>& events) {
    for (const OutboxEvent& event : events) {
        auto inserted = connection_.run(
            "INSERT INTO webhook_events (id, type, occurred_ms, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            parameters(event.id, event.type, event.occurred_ms, event.body));
        if (!inserted) return inserted.error();
        for (const std::string& webhook_id : event.webhook_ids) {
            // A webhook deleted meanwhile is owed nothing.
            auto delivery = connection_.run(
                "INSERT INTO webhook_deliveries (webhook_id, event_id, ordering_key, created_ms, next_attempt_ms) "
                "SELECT $1, $2, $3, $4, $4 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $1) "
                "ON CONFLICT (webhook_id, event_id) DO NOTHING",
                parameters(webhook_id, event.id, event.ordering_key, event.occurred_ms));
            if (!delivery) return delivery.error();
        }
    }
    return calls::Done{};
}

calls::Result<std::vector<DueDelivery>> PostgresStorage::claim_deliveries(const std::string& instance,
                                                                          std::int64_t now_ms, std::int64_t lease_ms,
                                                                          int limit) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto rows = connection_.run(due_sql, parameters(now_ms, limit));
    if (!rows) return rows.error();
    std::vector<DueDelivery> due;
    const Rows& r = rows.value();
    for (int row = 0; row < r.size(); ++row) {
        due.push_back(DueDelivery{r.integer(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4),
                                  r.text(row, 5), r.text(row, 6), static_cast<int>(r.integer(row, 7)),
                                  r.integer(row, 8)});
    }
    for (const DueDelivery& delivery : due) {
        auto claimed = connection_.run(
            "UPDATE webhook_deliveries SET claimed_by = $2, claimed_until_ms = $3 WHERE seq = $1",
            parameters(delivery.seq, instance, now_ms + lease_ms));
        if (!claimed) return claimed.error();
    }
    if (auto status = transaction.value().commit(); !status) return status.error();
    return due;
}

calls::Status PostgresStorage::release_claims(const std::string& instance) {
    auto rows = connection_.run(
        "UPDATE webhook_deliveries SET claimed_by = '', claimed_until_ms = 0 WHERE claimed_by = $1 AND state = 'pending'",
        parameters(instance));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::finish_delivery(const DeliveryOutcome& outcome) {
    const std::optional<std::int64_t> status_code =
        outcome.http_status ? std::optional<std::int64_t>(*outcome.http_status) : std::nullopt;
    auto rows = connection_.run(
        "UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1, last_attempt_ms = $3, "
        "next_attempt_ms = $4, http_status = $5, error = $6, claimed_by = '', claimed_until_ms = 0 WHERE seq = $1",
        parameters(outcome.seq, to_string(outcome.state), outcome.attempted_ms, outcome.next_attempt_ms, status_code,
                   outcome.error));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Result<std::vector<DeliveryRecord>> PostgresStorage::list_deliveries(const std::string& webhook_id, int limit) {
    auto rows = connection_.read(
        "SELECT d.seq, d.event_id, e.type, d.state, d.attempts, d.created_ms, d.last_attempt_ms, d.next_attempt_ms, "
        "d.http_status, d.error FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
        "WHERE d.webhook_id = $1 ORDER BY d.seq DESC LIMIT $2",
        parameters(webhook_id, limit));
    if (!rows) return rows.error();
    std::vector<DeliveryRecord> records;
    const Rows& r = rows.value();
    for (int row = 0; row < r.size(); ++row) {
        DeliveryRecord record{r.integer(row, 0), r.text(row, 1), r.text(row, 2),
                              delivery_state_from(r.text(row, 3)).value_or(DeliveryState::pending),
                              static_cast<int>(r.integer(row, 4)), r.integer(row, 5), r.optional_integer(row, 6),
                              std::nullopt, std::nullopt, r.text(row, 9)};
        if (record.state == DeliveryState::pending) record.next_attempt_ms = r.integer(row, 7);
        if (auto code = r.optional_integer(row, 8)) record.http_status = static_cast<int>(*code);
        records.push_back(std::move(record));
    }
    return records;
}

calls::Result<std::vector<WebhookFigures>> PostgresStorage::webhook_figures() {
    auto rows = connection_.read(
        "SELECT webhook_id, count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'), "
        "count(*) FILTER (WHERE state = 'failed'), min(created_ms) FILTER (WHERE state = 'pending') "
        "FROM webhook_deliveries GROUP BY webhook_id");
    if (!rows) return rows.error();
    std::vector<WebhookFigures> figures;
    const Rows& r = rows.value();
    for (int row = 0; row < r.size(); ++row) {
        figures.push_back(WebhookFigures{r.text(row, 0), r.integer(row, 1), r.integer(row, 2), r.integer(row, 3),
                                         r.optional_integer(row, 4)});
    }
    return figures;
}

calls::Status PostgresStorage::prune_deliveries(std::int64_t before_ms) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    if (auto rows = connection_.run(
            "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND last_attempt_ms < $1", parameters(before_ms));
        !rows)
        return rows.error();
    if (auto rows = connection_.run(
            "DELETE FROM webhook_events WHERE occurred_ms < $1 AND NOT EXISTS "
            "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)",
            parameters(before_ms));
        !rows)
        return rows.error();
    return transaction.value().commit();
}

}  // namespace ff::store::postgres
