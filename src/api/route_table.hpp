// The API's routes as data: one line per endpoint with who may call it. install_routes() walks it,
// and so does the test that checks the OpenAPI document lists every route.
#pragma once

#include <string>
#include <vector>

#include "api/api_request.hpp"
#include "http/router.hpp"

namespace ff::api {

enum class Access {
    open,      // no token (GET /health)
    any_role,  // any valid token; operators are narrowed to their extension by the route itself
    admin,     // settings and tokens
    metrics,   // GET /metrics: an admin or metrics token, or no token from an address in METRICS_ALLOW
};

using ApiHandler = void (*)(ApiServices& services, const ApiRequestPtr& request);

struct RouteSpec {
    http::beast_http::verb method;
    std::string pattern;  // "/api/calls/hangup/:callId"
    Access access;
    ApiHandler handler;
};

const std::vector<RouteSpec>& route_table();

void install_routes(http::Router& router, ApiServices& services);

// The part of install_routes that runs before a handler: token, role, body. Exposed for tests.
ApiResult<auth::Principal> authorize(const http::Request& request, Access access,
                                     const auth::TokenRegistry& tokens);
// authorize() for a request from `peer`: a scraper in `metrics_allow` reads /metrics without a token.
ApiResult<auth::Principal> authorize(const http::Request& request, const http::PeerInfo& peer, Access access,
                                     const auth::TokenRegistry& tokens, const config::AddressAllowList& metrics_allow);

}  // namespace ff::api
