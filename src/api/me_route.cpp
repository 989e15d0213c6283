// GET /api/me: who the token belongs to, so that a page knows its operator's extension (to dial from it,
// read its statistics) and whether to show the supervisor's board, without an admin-only call.
#include "api/route_handlers.hpp"
#include "auth/principal.hpp"

namespace ff::api {

void handle_me(ApiServices&, const ApiRequestPtr& request) {
    const auto& principal = request->principal;
    reply_json(request, http::beast_http::status::ok,
               {
                   {"name", principal.name},
                   {"role", std::string(auth::to_string(principal.role))},
                   {"extension", principal.extension.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(principal.extension)},
               });
}

}  // namespace ff::api
