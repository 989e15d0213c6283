// GET /api/calls/active: operators see the calls of their own extension, everyone else all of them.
#include "api/active_calls_cache.hpp"
#include "api/json_response.hpp"
#include "api/route_handlers.hpp"

namespace ff::api {

void handle_active_calls(ApiServices& services, const ApiRequestPtr& request) {
    const std::string filter =
        request->principal.sees_all_calls() ? std::string{} : request->principal.extension;
    const auto body = services.active_calls->body(services.calls, filter);
    request->context->reply(json_text_response(http::beast_http::status::ok, *body));
}

}  // namespace ff::api
