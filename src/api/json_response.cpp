// API JSON is personal and changes every second: never cached by browsers or proxies.
#include "api/json_response.hpp"

namespace ff::api {

std::string dump_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http::Response json_text_response(http::beast_http::status status, std::string body) {
    http::Response response{status, 11};
    response.set(http::beast_http::field::content_type, "application/json; charset=utf-8");
    response.set(http::beast_http::field::cache_control, "no-store");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

http::Response json_response(http::beast_http::status status, const nlohmann::json& body) {
    return json_text_response(status, dump_json(body));
}

}  // namespace ff::api
