// /api/webhooks: admins subscribe the call centre's other systems to events. The secret that signs the
// deliveries is shown once, in the creation answer only.
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "http/http_client.hpp"
#include "store/store_worker.hpp"
#include "webhooks/webhook_signature.hpp"
#include "webhooks/webhooks.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;

nlohmann::json time_or_null(const std::optional<std::int64_t>& ms) {
    if (!ms) return nullptr;
    return wire::format_time(calls::TimePoint{std::chrono::milliseconds{*ms}});
}

nlohmann::json delivery_json(const store::DeliveryRecord& delivery) {
    return {{"eventId", delivery.event_id},
            {"type", delivery.type},
            {"status", store::to_string(delivery.state)},
            {"attempts", delivery.attempts},
            {"createdAt", time_or_null(delivery.created_ms)},
            {"lastAttemptAt", time_or_null(delivery.last_attempt_ms)},
            {"nextAttemptAt", time_or_null(delivery.next_attempt_ms)},
            {"httpStatus", delivery.http_status ? nlohmann::json(*delivery.http_status) : nlohmann::json(nullptr)},
            {"error", delivery.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(delivery.error)}};
}

// A webhook as listed: never its secret.
nlohmann::json webhook_json(const store::Webhook& webhook, const store::WebhookFigures& figures,
                            const std::optional<store::DeliveryRecord>& last) {
    return {{"id", webhook.id},
            {"url", webhook.url},
            {"events", webhook.events},
            {"createdAt", time_or_null(webhook.created_ms)},
            {"backlog", figures.pending},
            {"delivered", figures.delivered},
            {"failed", figures.failed},
            {"oldestPendingAt", time_or_null(figures.oldest_pending_ms)},
            {"lastDelivery", last ? delivery_json(*last) : nlohmann::json(nullptr)}};
}

bool webhooks_ready(ApiServices& services, const ApiRequestPtr& request) {
    if (services.webhooks != nullptr) return true;
    reply_error(request, ApiError{status::service_unavailable, "WEBHOOKS_UNAVAILABLE", "webhooks are not running"});
    return false;
}

ApiResult<std::vector<std::string>> event_patterns(const nlohmann::json& body) {
    if (!body.contains("events") || !body["events"].is_array())
        return validation_error("events must be a list of event names, e.g. [\"call:ended\"], [\"call:*\"] or [\"*\"]");
    std::vector<std::string> events;
    for (const auto& item : body["events"]) {
        if (!item.is_string() || item.get<std::string>().size() > 64)
            return validation_error("events must hold event names (strings of up to 64 characters)");
        events.push_back(item.get<std::string>());
    }
    if (auto problem = webhooks::check_patterns(events); !problem.empty()) return validation_error(problem);
    return events;
}

}  // namespace

void handle_list_webhooks(ApiServices& services, const ApiRequestPtr& request) {
    services.store.post_read([&services, request](store::Storage& storage) {
        const auto listed = storage.list_webhooks();
        if (!listed) return reply_error_later(services, request, database_unavailable(listed.error()));
        const auto figures = storage.webhook_figures();
        if (!figures) return reply_error_later(services, request, database_unavailable(figures.error()));
        nlohmann::json webhooks = nlohmann::json::array();
        for (const auto& webhook : listed.value()) {
            store::WebhookFigures own{webhook.id, 0, 0, 0, std::nullopt};
            for (const auto& figure : figures.value()) {
                if (figure.webhook_id == webhook.id) own = figure;
            }
            auto last = storage.list_deliveries(webhook.id, 1);
            if (!last) return reply_error_later(services, request, database_unavailable(last.error()));
            webhooks.push_back(webhook_json(webhook, own,
                                            last.value().empty() ? std::nullopt : std::optional(last.value().front())));
        }
        reply_json_later(services, request, status::ok, {{"webhooks", std::move(webhooks)}});
    });
}

void handle_create_webhook(ApiServices& services, const ApiRequestPtr& request) {
    if (!webhooks_ready(services, request)) return;
    auto url = required_string(request->body, "url", 2000);
    if (!url) return reply_error(request, url.error());
    if (!http::parse_client_url(*url))
        return reply_error(request, validation_error("url must be an http:// or https:// URL without user info, e.g. "
                                                     "https://crm.example.com/hooks/telephony"));
    auto events = event_patterns(request->body);
    if (!events) return reply_error(request, events.error());
    store::Webhook webhook{"wh_" + webhooks::new_event_id().substr(4), *url, *events, webhooks::new_secret(),
                           calls::now_ms().time_since_epoch().count()};
    services.store.post([&services, request, webhook](store::Storage& storage) {
        if (auto saved = storage.insert_webhook(webhook); !saved)
            return reply_error_later(services, request, from_storage_error(saved.error()));
        services.webhooks->added(webhook);
        nlohmann::json answer = webhook_json(webhook, store::WebhookFigures{webhook.id, 0, 0, 0, std::nullopt}, std::nullopt);
        answer["secret"] = webhook.secret;
        reply_json_later(services, request, status::created, std::move(answer));
    });
}

void handle_delete_webhook(ApiServices& services, const ApiRequestPtr& request) {
    if (!webhooks_ready(services, request)) return;
    const std::string id = request->param("id");
    services.store.post([&services, request, id](store::Storage& storage) {
        if (auto deleted = storage.delete_webhook(id); !deleted)
            return reply_error_later(services, request, from_storage_error(deleted.error()));
        services.webhooks->removed(id);
        reply_json_later(services, request, status::ok, {{"success", true}, {"id", id}});
    });
}

void handle_webhook_deliveries(ApiServices& services, const ApiRequestPtr& request) {
    const auto limit = query_integer(request->query(), "limit", 50, 1, 500);
    if (!limit) return reply_error(request, limit.error());
    const std::string id = request->param("id");
    services.store.post_read([&services, request, id, limit = static_cast<int>(*limit)](store::Storage& storage) {
        const auto listed = storage.list_webhooks();
        if (!listed) return reply_error_later(services, request, database_unavailable(listed.error()));
        if (std::none_of(listed.value().begin(), listed.value().end(), [&id](const auto& w) { return w.id == id; }))
            return reply_error_later(services, request, not_found("no webhook with id " + id));
        const auto deliveries = storage.list_deliveries(id, limit);
        if (!deliveries) return reply_error_later(services, request, database_unavailable(deliveries.error()));
        nlohmann::json list = nlohmann::json::array();
        for (const auto& delivery : deliveries.value()) list.push_back(delivery_json(delivery));
        reply_json_later(services, request, status::ok, {{"deliveries", std::move(list)}});
    });
}

void handle_test_webhook(ApiServices& services, const ApiRequestPtr& request) {
    if (!webhooks_ready(services, request)) return;
    const std::string id = request->param("id");
    services.store.post_read([&services, request, id](store::Storage& storage) {
        const auto listed = storage.list_webhooks();
        if (!listed) return reply_error_later(services, request, database_unavailable(listed.error()));
        if (std::none_of(listed.value().begin(), listed.value().end(), [&id](const auto& w) { return w.id == id; }))
            return reply_error_later(services, request, not_found("no webhook with id " + id));
        auto event = webhooks::test_event(id, calls::now_ms().time_since_epoch().count());
        const std::string event_id = event.id;
        services.webhooks->send(std::move(event));
        reply_json_later(services, request, status::accepted, {{"success", true}, {"eventId", event_id}});
    });
}

}  // namespace ff::api
