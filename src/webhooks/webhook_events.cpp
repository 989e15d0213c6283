// Event selection and bodies. Nothing here touches the network or the database.
#include "webhooks/webhook_events.hpp"

#include <algorithm>
#include <variant>

#include "wire/call_json.hpp"
#include "wire/event_json.hpp"
#include "webhooks/webhook_signature.hpp"

namespace ff::webhooks {
namespace {

constexpr std::string_view recording_ready = "recording:ready";

bool matches(std::string_view pattern, std::string_view type) {
    if (pattern == "*") return true;
    if (pattern.ends_with(":*")) return type.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == type;
}

// The call of an event that is about one, so that one call's events reach each webhook in order.
std::string ordering_key(const calls::Event& event) {
    if (const auto* call_event = std::get_if<calls::CallEvent>(&event)) return call_event->call.id;
    return {};
}

}  // namespace

const std::vector<std::string_view>& webhook_event_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> all = wire::event_names();
        all.push_back(recording_ready);
        return all;
    }();
    return names;
}

bool selects(const std::vector<std::string>& patterns, std::string_view type) {
    return std::any_of(patterns.begin(), patterns.end(), [type](const std::string& pattern) { return matches(pattern, type); });
}

std::string check_patterns(const std::vector<std::string>& patterns) {
    if (patterns.empty()) return "events must name at least one event (or \"*\" for all)";
    for (const auto& pattern : patterns) {
        const auto& names = webhook_event_names();
        if (std::none_of(names.begin(), names.end(), [&pattern](std::string_view name) { return matches(pattern, name); }))
            return "events: \"" + pattern + "\" names no event (e.g. call:ended, call:*, operator:state, *)";
    }
    return {};
}

std::string event_body(const std::string& id, std::string_view type, std::int64_t occurred_ms, const nlohmann::json& data) {
    const nlohmann::json body = {{"id", id},
                                 {"type", type},
                                 {"occurredAt", wire::format_time(calls::TimePoint{std::chrono::milliseconds{occurred_ms}})},
                                 {"data", data}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WebhookSelection::replace(const std::vector<store::Webhook>& webhooks) {
    std::vector<Subscription> fresh;
    for (const auto& webhook : webhooks) fresh.push_back({webhook.id, webhook.events});
    std::lock_guard lock(mutex_);
    subscriptions_ = std::move(fresh);
}

std::uint64_t WebhookSelection::changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
}

void WebhookSelection::replace_if_unchanged(const std::vector<store::Webhook>& webhooks, std::uint64_t seen) {
    std::vector<Subscription> fresh;
    for (const auto& webhook : webhooks) fresh.push_back({webhook.id, webhook.events});
    std::lock_guard lock(mutex_);
    if (changes_ == seen) subscriptions_ = std::move(fresh);
}

void WebhookSelection::add(const store::Webhook& webhook) {
    std::lock_guard lock(mutex_);
    ++changes_;
    subscriptions_.push_back({webhook.id, webhook.events});
}

void WebhookSelection::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    ++changes_;
    std::erase_if(subscriptions_, [&id](const Subscription& subscription) { return subscription.id == id; });
}

std::size_t WebhookSelection::size() const {
    std::lock_guard lock(mutex_);
    return subscriptions_.size();
}

std::vector<store::OutboxEvent> WebhookSelection::events_for(const calls::Event& event, std::int64_t occurred_ms) const {
    std::vector<store::OutboxEvent> events;
    std::lock_guard lock(mutex_);
    if (subscriptions_.empty()) return events;
    const wire::NamedPayload named = wire::to_named_payload(event);
    std::vector<std::string_view> types{named.name};
    const auto* call_event = std::get_if<calls::CallEvent>(&event);
    if (call_event != nullptr && call_event->recording_settled && call_event->call.recording &&
        call_event->call.recording->status == calls::RecordingStatus::ready)
        types.push_back(recording_ready);
    for (const std::string_view type : types) {
        store::OutboxEvent outbox;
        for (const auto& subscription : subscriptions_) {
            if (selects(subscription.patterns, type)) outbox.webhook_ids.push_back(subscription.id);
        }
        if (outbox.webhook_ids.empty()) continue;
        outbox.id = new_event_id();
        outbox.type = std::string(type);
        outbox.ordering_key = ordering_key(event);
        outbox.occurred_ms = occurred_ms;
        outbox.body = event_body(outbox.id, type, occurred_ms, named.payload);
        events.push_back(std::move(outbox));
    }
    return events;
}

store::OutboxEvent test_event(const std::string& webhook_id, std::int64_t now_ms) {
    store::OutboxEvent event;
    event.id = new_event_id();
    event.type = "webhook:test";
    event.occurred_ms = now_ms;
    event.body = event_body(event.id, event.type, now_ms, {{"webhookId", webhook_id}});
    event.webhook_ids = {webhook_id};
    return event;
}

}  // namespace ff::webhooks
