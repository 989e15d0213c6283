// One authenticated API request as route handlers see it, and the ways to answer it.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_error.hpp"
#include "api/api_services.hpp"
#include "auth/principal.hpp"
#include "http/router.hpp"

namespace ff::api {

struct ApiRequest {
    std::shared_ptr<http::RequestContext> context;
    auth::Principal principal;
    nlohmann::json body = nlohmann::json::object();  // parsed JSON object; empty without a body

    const std::string& param(const std::string& name) const;  // path parameter (":callId")
    const std::map<std::string, std::string>& query() const { return context->target.query; }
};

using ApiRequestPtr = std::shared_ptr<ApiRequest>;

// Answers on the calling thread; for the network thread that received the request.
void reply_json(const ApiRequestPtr& request, http::beast_http::status status, const nlohmann::json& body);
void reply_error(const ApiRequestPtr& request, const ApiError& error);

// Answers from the io_context: for completions that arrive on the storage or SIP thread.
void reply_json_later(ApiServices& services, const ApiRequestPtr& request, http::beast_http::status status,
                      nlohmann::json body);
void reply_error_later(ApiServices& services, const ApiRequestPtr& request, ApiError error);

}  // namespace ff::api
