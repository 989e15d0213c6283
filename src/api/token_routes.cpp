// /api/tokens: admins issue and revoke API tokens. The secret is shown once, in the creation answer only.
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "auth/token_registry.hpp"
#include "store/store_worker.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;

nlohmann::json token_json(const store::TokenRecord& record) {
    return {
        {"id", record.id},
        {"name", record.name},
        {"role", record.role},
        {"extension", record.extension.empty() ? nlohmann::json(nullptr) : nlohmann::json(record.extension)},
        {"createdAt", wire::format_time(record.created_at)},
        {"revokedAt",
         record.revoked_at ? nlohmann::json(wire::format_time(*record.revoked_at)) : nlohmann::json(nullptr)},
    };
}

}  // namespace

void handle_list_tokens(ApiServices& services, const ApiRequestPtr& request) {
    services.store.post_read([&services, request](store::Storage& storage) {
        const auto records = storage.list_tokens();
        if (!records) return reply_error_later(services, request, database_unavailable(records.error()));
        nlohmann::json tokens = nlohmann::json::array();
        for (const auto& record : records.value()) tokens.push_back(token_json(record));
        reply_json_later(services, request, status::ok, {{"tokens", std::move(tokens)}});
    });
}

void handle_create_token(ApiServices& services, const ApiRequestPtr& request) {
    const auto& body = request->body;
    auto name = required_string(body, "name", 100);
    if (!name) return reply_error(request, name.error());
    auto role_text = required_string(body, "role", 20);
    if (!role_text) return reply_error(request, role_text.error());
    const auto role = auth::parse_role(*role_text);
    if (!role) return reply_error(request, validation_error("role must be operator, supervisor, admin or metrics"));
    auto extension = optional_string(body, "extension", 0, 16);
    if (!extension) return reply_error(request, extension.error());
    std::string bound_extension = extension->value_or("");
    if (*role == auth::Role::operator_) {
        if (bound_extension.empty())
            return reply_error(request, validation_error("extension is required for an operator token"));
        if (!is_extension(bound_extension))
            return reply_error(request, validation_error("extension must be 1 to 16 digits"));
    } else if (!bound_extension.empty()) {
        return reply_error(request, validation_error("extension is only for operator tokens (a " +
                                                     *role_text + " sees every extension)"));
    }
    auto issued = auth::issue_token(*name, *role, bound_extension);
    services.store.post([&services, request, issued = std::move(issued)](store::Storage& storage) {
        if (auto saved = storage.insert_token(issued.record); !saved)
            return reply_error_later(services, request, from_error(saved.error()));
        // Accepted from now on; the registry is the in-memory copy of what was just stored.
        services.tokens.add(issued.record);
        nlohmann::json answer = token_json(issued.record);
        answer["success"] = true;
        answer["token"] = issued.secret;
        reply_json_later(services, request, status::created, std::move(answer));
    });
}

void handle_revoke_token(ApiServices& services, const ApiRequestPtr& request) {
    const std::string id = request->param("id");
    services.store.post([&services, request, id](store::Storage& storage) {
        if (auto revoked = storage.revoke_token(id, calls::now_ms()); !revoked) {
            if (revoked.error().code == calls::ErrorCode::not_found)
                return reply_error_later(services, request, not_found("no token with id " + id));
            return reply_error_later(services, request, from_error(revoked.error()));
        }
        services.tokens.revoke(id);
        reply_json_later(services, request, status::ok, {{"success", true}, {"id", id}});
    });
}

}  // namespace ff::api
