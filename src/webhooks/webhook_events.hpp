// Which events go to which webhook, and the body each one carries: {id, type, occurredAt, data}, where data
// is the Socket.IO event's payload (wire/event_json.hpp) and occurredAt when the service saw it happen.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "calls/events.hpp"
#include "store/webhook_store.hpp"

namespace ff::webhooks {

// Every event name a webhook may ask for: the stream's events and recording:ready.
const std::vector<std::string_view>& webhook_event_names();

// Whether a webhook asking for `patterns` ("call:ended", "call:*", "*") wants events of `type`.
bool selects(const std::vector<std::string>& patterns, std::string_view type);

// "" when every pattern names an event or a family of them; otherwise what is wrong, naming the pattern.
std::string check_patterns(const std::vector<std::string>& patterns);

// The body of one event: {"id", "type", "occurredAt", "data"}.
std::string event_body(const std::string& id, std::string_view type, std::int64_t occurred_ms, const nlohmann::json& data);

// The webhooks as they are subscribed now, and the outbox events an event of the bus brings them. Any thread.
class WebhookSelection {
  public:
    void replace(const std::vector<store::Webhook>& webhooks);
    void add(const store::Webhook& webhook);
    void remove(const std::string& id);
    // A reload: replace() unless add() or remove() came since changes() was `seen`, when what was read
    // may lack their change.
    std::uint64_t changes() const;
    void replace_if_unchanged(const std::vector<store::Webhook>& webhooks, std::uint64_t seen);
    std::size_t size() const;

    // One outbox event per type the event is (call:updated can also be recording:ready), each for the webhooks
    // that want it; none when nobody does.
    std::vector<store::OutboxEvent> events_for(const calls::Event& event, std::int64_t occurred_ms) const;

  private:
    struct Subscription {
        std::string id;
        std::vector<std::string> patterns;
    };
    mutable std::mutex mutex_;
    std::vector<Subscription> subscriptions_;
    std::uint64_t changes_ = 0;
};

// The event a "send a test event" button sends to one webhook: webhook:test, with the webhook's id as data.
store::OutboxEvent test_event(const std::string& webhook_id, std::int64_t now_ms);

}  // namespace ff::webhooks
