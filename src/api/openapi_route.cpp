// GET /api/openapi.json: the API described for client generators and humans.
#include "api/json_response.hpp"
#include "api/openapi_document.hpp"
#include "api/route_handlers.hpp"

namespace ff::api {

void handle_openapi(ApiServices&, const ApiRequestPtr& request) {
    request->context->reply(
        json_text_response(http::beast_http::status::ok, std::string(openapi_document())));
}

}  // namespace ff::api
