// Webhook subscriptions and the outbox of their deliveries: what is kept, so that a restart, a database
// outage or a receiver away for hours loses no event (webhooks/ decides what goes in and delivers it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calls/result.hpp"

namespace ff::store {

struct Webhook {
    std::string id;
    std::string url;
    std::vector<std::string> events;  // event names, "call:*" for a family, "*" for all
    std::string secret;               // signs each delivery; the API shows it once, at creation
    std::int64_t created_ms = 0;
};

// One event for the webhooks that want it: the same body for each, signed per webhook when sent.
struct OutboxEvent {
    std::string id;            // the event's id, the receivers' key for discarding a duplicate
    std::string type;          // "call:ended", ...
    std::string ordering_key;  // the call's id: one call's events reach each webhook in order ("" for none)
    std::int64_t occurred_ms = 0;
    std::string body;          // {"id", "type", "occurredAt", "data"}
    std::vector<std::string> webhook_ids;
};

enum class DeliveryState { pending, delivered, failed };  // failed: given up after the retry window

// A delivery claimed for sending by one instance until `claimed_until`; an instance that dies meanwhile
// leaves it to whoever claims it after that.
struct DueDelivery {
    std::int64_t seq = 0;
    std::string webhook_id;
    std::string url;
    std::string secret;
    std::string event_id;
    std::string type;
    std::string body;
    int attempts = 0;             // before this one
    std::int64_t created_ms = 0;  // when the event went into the outbox
};

struct DeliveryOutcome {
    std::int64_t seq = 0;
    DeliveryState state = DeliveryState::pending;  // pending: retried at next_attempt_ms
    std::int64_t attempted_ms = 0;
    std::int64_t next_attempt_ms = 0;
    std::optional<int> http_status;  // none when no answer came
    std::string error;               // "" once delivered
};

// A delivery as the settings page lists it.
struct DeliveryRecord {
    std::int64_t seq = 0;
    std::string event_id;
    std::string type;
    DeliveryState state = DeliveryState::pending;
    int attempts = 0;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> last_attempt_ms;
    std::optional<std::int64_t> next_attempt_ms;  // pending only
    std::optional<int> http_status;
    std::string error;
};

struct WebhookFigures {
    std::string webhook_id;
    std::int64_t pending = 0;    // the backlog
    std::int64_t delivered = 0;  // still kept (see prune_deliveries)
    std::int64_t failed = 0;     // given up
    std::optional<std::int64_t> oldest_pending_ms;
};

class WebhookStore {
  public:
    virtual ~WebhookStore() = default;

    virtual calls::Result<std::vector<Webhook>> list_webhooks() = 0;  // oldest first
    virtual calls::Status insert_webhook(const Webhook& webhook) = 0;
    // Removes the subscription and the deliveries still owed to it; not_found naming it if unknown.
    virtual calls::Status delete_webhook(const std::string& id) = 0;

    // Puts each event in the outbox for each of its webhooks (one transaction with the caller's other writes:
    // see Storage::record). An event whose id is there already is skipped (a replayed spool).
    virtual calls::Status write_outbox(const std::vector<OutboxEvent>& events) = 0;

    // Up to `limit` deliveries due at `now_ms`, oldest first, each the oldest pending of its call for its
    // webhook, none claimed by anyone until now; they are claimed for `instance` until now_ms + lease_ms.
    virtual calls::Result<std::vector<DueDelivery>> claim_deliveries(const std::string& instance, std::int64_t now_ms,
                                                                     std::int64_t lease_ms, int limit) = 0;
    // Frees what `instance` claimed and did not finish (it stopped, or a run before it under the same name
    // died), so that it is sent again now rather than when the claims run out.
    virtual calls::Status release_claims(const std::string& instance) = 0;
    // What one attempt came to; the claim ends.
    virtual calls::Status finish_delivery(const DeliveryOutcome& outcome) = 0;

    // The newest `limit` deliveries of one webhook.
    virtual calls::Result<std::vector<DeliveryRecord>> list_deliveries(const std::string& webhook_id, int limit) = 0;
    virtual calls::Result<std::vector<WebhookFigures>> webhook_figures() = 0;
    // Forgets delivered and given-up deliveries attempted before `before_ms`, and events nobody is owed.
    virtual calls::Status prune_deliveries(std::int64_t before_ms) = 0;
};

std::string_view to_string(DeliveryState state);
std::optional<DeliveryState> delivery_state_from(std::string_view text);

}  // namespace ff::store
