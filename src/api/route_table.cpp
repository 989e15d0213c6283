// The whole REST API at a glance: path, method, who may call it, and the handler.
#include "api/route_table.hpp"

#include <algorithm>
#include <cctype>

#include "api/request_body.hpp"
#include "api/route_handlers.hpp"
#include "auth/token_registry.hpp"

namespace ff::api {
namespace {

using http::beast_http::verb;

bool carries_body(verb method) {
    return method == verb::post || method == verb::put || method == verb::patch;
}

// "Bearer <token>", the scheme in any case; empty when the header is absent or another scheme.
std::string_view bearer_token(const http::Request& request) {
    const auto header = request[http::beast_http::field::authorization];
    const std::string_view value(header.data(), header.size());
    constexpr std::string_view scheme = "bearer ";
    if (value.size() <= scheme.size()) return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return {};
    }
    std::string_view token = value.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return token;
}

}  // namespace

const std::vector<RouteSpec>& route_table() {
    static const std::vector<RouteSpec> routes = {
        {verb::get, "/health", Access::open, handle_health},
        {verb::get, "/metrics", Access::metrics, handle_metrics},
        {verb::get, "/api/openapi.json", Access::any_role, handle_openapi},

        {verb::get, "/api/me", Access::any_role, handle_me},
        {verb::get, "/api/calls/active", Access::any_role, handle_active_calls},
        {verb::post, "/api/calls/dial", Access::any_role, handle_dial},
        {verb::post, "/api/calls/answer/:callId", Access::any_role, handle_answer},
        {verb::post, "/api/calls/hangup/:callId", Access::any_role, handle_hangup},
        {verb::post, "/api/calls/hold/:callId", Access::any_role, handle_hold},
        {verb::post, "/api/calls/unhold/:callId", Access::any_role, handle_unhold},
        {verb::post, "/api/calls/transfer/:callId", Access::any_role, handle_transfer},
        {verb::get, "/api/calls/:callId/media", Access::any_role, handle_call_media},
        {verb::post, "/api/calls/:callId/recording", Access::any_role, handle_record_call},
        {verb::get, "/api/calls/:callId/recording", Access::any_role, handle_call_recording},

        {verb::get, "/api/calls/logs", Access::any_role, handle_logs},
        {verb::get, "/api/calls/logs/phone/:phone", Access::any_role, handle_logs_by_phone},
        {verb::get, "/api/calls/stats/:extension", Access::any_role, handle_stats},

        {verb::post, "/api/calls/:callId/customer", Access::any_role, handle_link_customer},
        {verb::post, "/api/calls/:callId/order", Access::any_role, handle_link_order},
        {verb::post, "/api/calls/:callId/notes", Access::any_role, handle_add_note},

        {verb::get, "/api/operators", Access::any_role, handle_list_operators},
        {verb::post, "/api/operators/:extension/status", Access::any_role, handle_set_operator_status},
        {verb::get, "/api/callbacks", Access::any_role, handle_list_callbacks},
        {verb::get, "/api/callbacks/stats", Access::any_role, handle_callback_stats},
        {verb::get, "/api/queues", Access::any_role, handle_list_queues},
        {verb::put, "/api/queues/:extension", Access::admin, handle_put_queue},
        {verb::delete_, "/api/queues/:extension", Access::admin, handle_delete_queue},
        {verb::get, "/api/queues/:extension/stats", Access::any_role, handle_queue_stats},

        {verb::put, "/api/settings/pause-reasons", Access::admin, handle_put_pause_reasons},
        {verb::get, "/api/settings/sms", Access::admin, handle_get_sms_settings},
        {verb::put, "/api/settings/sms", Access::admin, handle_put_sms_settings},
        {verb::get, "/api/settings/pbx", Access::admin, handle_get_pbx_settings},
        {verb::put, "/api/settings/pbx", Access::admin, handle_put_pbx_settings},
        {verb::post, "/api/settings/test-connection", Access::admin, handle_test_connection},
        {verb::get, "/api/settings/users", Access::admin, handle_list_sip_users},
        {verb::post, "/api/settings/users", Access::admin, handle_create_sip_user},
        {verb::put, "/api/settings/users/:extension", Access::admin, handle_update_sip_user},
        {verb::delete_, "/api/settings/users/:extension", Access::admin, handle_delete_sip_user},

        {verb::get, "/api/tokens", Access::admin, handle_list_tokens},
        {verb::post, "/api/tokens", Access::admin, handle_create_token},
        {verb::delete_, "/api/tokens/:id", Access::admin, handle_revoke_token},

        {verb::get, "/api/webhooks", Access::admin, handle_list_webhooks},
        {verb::post, "/api/webhooks", Access::admin, handle_create_webhook},
        {verb::delete_, "/api/webhooks/:id", Access::admin, handle_delete_webhook},
        {verb::get, "/api/webhooks/:id/deliveries", Access::admin, handle_webhook_deliveries},
        {verb::post, "/api/webhooks/:id/test", Access::admin, handle_test_webhook},
    };
    return routes;
}

ApiResult<auth::Principal> authorize(const http::Request& request, Access access,
                                     const auth::TokenRegistry& tokens) {
    if (access == Access::open) return auth::Principal{};
    const std::string_view token = bearer_token(request);
    if (token.empty())
        return unauthorized("a token is required: send the header Authorization: Bearer <token>");
    auto principal = tokens.authenticate(token);
    if (!principal) return unauthorized("the token is not valid or was revoked");
    if (access == Access::admin && !principal->is_admin())
        return forbidden("this endpoint needs an admin token (the token's role is " +
                         std::string(auth::to_string(principal->role)) + ")");
    if (access == Access::metrics && !principal->is_admin() && principal->role != auth::Role::metrics)
        return forbidden("/metrics needs an admin or metrics token (the token's role is " +
                         std::string(auth::to_string(principal->role)) + ")");
    if (access != Access::metrics && principal->role == auth::Role::metrics)
        return forbidden("a metrics token may only read /metrics");
    return std::move(*principal);
}

ApiResult<auth::Principal> authorize(const http::Request& request, const http::PeerInfo& peer, Access access,
                                     const auth::TokenRegistry& tokens, const config::AddressAllowList& metrics_allow) {
    if (access == Access::metrics && bearer_token(request).empty() && metrics_allow.allows(peer.remote_address)) {
        auth::Principal scraper;
        scraper.name = "scraper at " + peer.remote_address;
        scraper.role = auth::Role::metrics;
        return scraper;
    }
    return authorize(request, access, tokens);
}

void install_routes(http::Router& router, ApiServices& services) {
    for (const RouteSpec& spec : route_table()) {
        router.add(spec.method, spec.pattern,
                   [&services, spec](std::shared_ptr<http::RequestContext> context) {
                       auto principal = authorize(context->request, context->peer, spec.access, services.tokens,
                                                  services.metrics_allow);
                       if (!principal) {
                           auto response = error_response(principal.error());
                           if (response.result() == http::beast_http::status::unauthorized)
                               response.set(http::beast_http::field::www_authenticate, "Bearer");
                           context->reply(std::move(response));
                           return;
                       }
                       auto request = std::make_shared<ApiRequest>();
                       request->principal = std::move(principal).value();
                       if (carries_body(spec.method)) {
                           auto body = parse_json_body(context->request);
                           if (!body) {
                               context->reply(error_response(body.error()));
                               return;
                           }
                           request->body = std::move(body).value();
                       }
                       request->context = std::move(context);
                       spec.handler(services, request);
                   });
    }
}

}  // namespace ff::api
