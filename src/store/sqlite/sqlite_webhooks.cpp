// Webhooks and their outbox in SQLite. One write connection serialises the claims, so a claim is one
// transaction: pick the due deliveries, then mark them.
#include <sqlite3.h>

#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"
#include "store/webhook_columns.hpp"

namespace ff::store::sqlite {
namespace {

// Due: pending, its time come, claimed by nobody (or by an instance whose claim ran out), and the oldest
// pending delivery of its call for its webhook, so that one call's events arrive in order.
constexpr std::string_view due_sql = R"sql(
SELECT d.seq, d.webhook_id, w.url, w.secret, d.event_id, e.type, e.body, d.attempts, d.created_ms
FROM webhook_deliveries d
JOIN webhooks w ON w.id = d.webhook_id
JOIN webhook_events e ON e.id = d.event_id
WHERE d.state = 'pending' AND d.next_attempt_ms <= ?1 AND d.claimed_until_ms <= ?1
  AND (d.ordering_key = '' OR NOT EXISTS (
        SELECT 1 FROM webhook_deliveries earlier
        WHERE earlier.webhook_id = d.webhook_id AND earlier.ordering_key = d.ordering_key
          AND earlier.state = 'pending' AND earlier.seq < d.seq))
ORDER BY d.seq
LIMIT ?2
)sql";

}  // namespace

calls::Status SqliteStorage::record(const std::vector<LogRecord>& records) {
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

calls::Result<std::vector<Webhook>> SqliteStorage::list_webhooks() {
    auto query = connection_.query("SELECT id, url, events, secret, created_ms FROM webhooks ORDER BY created_ms, id");
    if (!query) return query.error();
    std::vector<Webhook> webhooks;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return webhooks;
        const Query& result = query.value();
        webhooks.push_back(Webhook{result.text(0), result.text(1), events_from_column(result.text(2)),
                                   result.text(3), result.integer(4)});
    }
}

calls::Status SqliteStorage::insert_webhook(const Webhook& webhook) {
    auto query = connection_.query(
        "INSERT INTO webhooks (id, url, events, secret, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!query) return query.error();
    query.value().bind_all(webhook.id, webhook.url, events_column(webhook.events), webhook.secret, webhook.created_ms);
    return query.value().run();
}

calls::Status SqliteStorage::delete_webhook(const std::string& id) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto deliveries = connection_.query("DELETE FROM webhook_deliveries WHERE webhook_id = ?1");
    if (!deliveries) return deliveries.error();
    if (auto status = deliveries.value().bind(1, id).run(); !status) return status;
    auto query = connection_.query("DELETE FROM webhooks WHERE id = ?1");
    if (!query) return query.error();
    if (auto status = query.value().bind(1, id).run(); !status) return status;
    if (connection_.changes() == 0) return calls::make_error(calls::ErrorCode::not_found, "no webhook with id " + id);
    return transaction.value().commit();
}

calls::Status SqliteStorage::write_outbox(const std::vector<OutboxEvent>& events) {
    for (const OutboxEvent& event : events) {
        auto insert_event = connection_.query(
            "INSERT OR IGNORE INTO webhook_events (id, type, occurred_ms, body) VALUES (?1, ?2, ?3, ?4)");
        if (!insert_event) return insert_event.error();
        insert_event.value().bind_all(event.id, event.type, event.occurred_ms, event.body);
        if (auto status = insert_event.value().run(); !status) return status;
        for (const std::string& webhook_id : event.webhook_ids) {
            // A webhook deleted meanwhile is owed nothing.
            auto insert_delivery = connection_.query(
                "INSERT OR IGNORE INTO webhook_deliveries (webhook_id, event_id, ordering_key, created_ms, "
                "next_attempt_ms) SELECT ?1, ?2, ?3, ?4, ?4 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?1)");
            if (!insert_delivery) return insert_delivery.error();
            insert_delivery.value().bind_all(webhook_id, event.id, event.ordering_key, event.occurred_ms);
            if (auto status = insert_delivery.value().run(); !status) return status;
        }
    }
    return calls::Done{};
}

calls::Result<std::vector<DueDelivery>> SqliteStorage::claim_deliveries(const std::string& instance,
                                                                        std::int64_t now_ms, std::int64_t lease_ms,
                                                                        int limit) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    std::vector<DueDelivery> due;
    {
        auto query = connection_.query(due_sql);
        if (!query) return query.error();
        query.value().bind_all(now_ms, limit);
        for (;;) {
            auto row = query.value().step();
            if (!row) return row.error();
            if (!row.value()) break;
            const Query& r = query.value();
            due.push_back(DueDelivery{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                                      static_cast<int>(r.integer(7)), r.integer(8)});
        }
    }
    for (const DueDelivery& delivery : due) {
        auto claim = connection_.query(
            "UPDATE webhook_deliveries SET claimed_by = ?2, claimed_until_ms = ?3 WHERE seq = ?1");
        if (!claim) return claim.error();
        claim.value().bind_all(delivery.seq, instance, now_ms + lease_ms);
        if (auto status = claim.value().run(); !status) return status.error();
    }
    if (auto status = transaction.value().commit(); !status) return status.error();
    return due;
}

calls::Status SqliteStorage::release_claims(const std::string& instance) {
    auto query = connection_.query(
        "UPDATE webhook_deliveries SET claimed_by = '', claimed_until_ms = 0 WHERE claimed_by = ?1 AND state = 'pending'");
    if (!query) return query.error();
    return query.value().bind(1, instance).run();
}

calls::Status SqliteStorage::finish_delivery(const DeliveryOutcome& outcome) {
    auto query = connection_.query(
        "UPDATE webhook_deliveries SET state = ?2, attempts = attempts + 1, last_attempt_ms = ?3, "
        "next_attempt_ms = ?4, http_status = ?5, error = ?6, claimed_by = '', claimed_until_ms = 0 WHERE seq = ?1");
    if (!query) return query.error();
    const std::optional<std::int64_t> status_code =
        outcome.http_status ? std::optional<std::int64_t>(*outcome.http_status) : std::nullopt;
    query.value().bind_all(outcome.seq, to_string(outcome.state), outcome.attempted_ms, outcome.next_attempt_ms);
    query.value().bind(5, status_code).bind(6, outcome.error);
    return query.value().run();
}

calls::Result<std::vector<DeliveryRecord>> SqliteStorage::list_deliveries(const std::string& webhook_id, int limit) {
    auto query = connection_.query(
        "SELECT d.seq, d.event_id, e.type, d.state, d.attempts, d.created_ms, d.last_attempt_ms, d.next_attempt_ms, "
        "d.http_status, d.error FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
        "WHERE d.webhook_id = ?1 ORDER BY d.seq DESC LIMIT ?2");
    if (!query) return query.error();
    query.value().bind_all(webhook_id, limit);
    std::vector<DeliveryRecord> records;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return records;
        const Query& r = query.value();
        DeliveryRecord record{r.integer(0), r.text(1), r.text(2), delivery_state_from(r.text(3)).value_or(DeliveryState::pending),
                              static_cast<int>(r.integer(4)), r.integer(5), r.optional_integer(6), std::nullopt,
                              std::nullopt, r.text(9)};
        if (record.state == DeliveryState::pending) record.next_attempt_ms = r.integer(7);
        if (auto code = r.optional_integer(8)) record.http_status = static_cast<int>(*code);
        records.push_back(std::move(record));
    }
}

calls::Result<std::vector<WebhookFigures>> SqliteStorage::webhook_figures() {
    auto query = connection_.query(
        "SELECT webhook_id, sum(state = 'pending'), sum(state = 'delivered'), sum(state = 'failed'), "
        "min(CASE WHEN state = 'pending' THEN created_ms END) FROM webhook_deliveries GROUP BY webhook_id");
    if (!query) return query.error();
    std::vector<WebhookFigures> figures;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return figures;
        const Query& r = query.value();
        figures.push_back(WebhookFigures{r.text(0), r.integer(1), r.integer(2), r.integer(3), r.optional_integer(4)});
    }
}

calls::Status SqliteStorage::prune_deliveries(std::int64_t before_ms) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto deliveries = connection_.query(
        "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND last_attempt_ms < ?1");
    if (!deliveries) return deliveries.error();
    if (auto status = deliveries.value().bind(1, before_ms).run(); !status) return status;
    auto events = connection_.query(
        "DELETE FROM webhook_events WHERE occurred_ms < ?1 AND NOT EXISTS "
        "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)");
    if (!events) return events.error();
    if (auto status = events.value().bind(1, before_ms).run(); !status) return status;
    return transaction.value().commit();
}

}  // namespace ff::store::sqlite
