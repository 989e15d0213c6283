// Polling responses are text/plain like the reference server's; errors are the engine's JSON.
#include "realtime/polling_transport.hpp"

#include <nlohmann/json.hpp>

namespace ff::realtime {

namespace beast_http = http::beast_http;

std::string_view message_of(EngineError error) {
    switch (error) {
        case EngineError::transport_unknown:
            return "Transport unknown";
        case EngineError::unknown_sid:
            return "Session ID unknown";
        case EngineError::bad_handshake_method:
            return "Bad handshake method";
        case EngineError::bad_request:
            return "Bad request";
        case EngineError::forbidden:
            return "Forbidden";
        case EngineError::unsupported_protocol_version:
            return "Unsupported protocol version";
    }
    return "Bad request";
}

http::Response json_response(beast_http::status status, std::string body, ReplyShape shape) {
    http::Response response{status, shape.version};
    response.set(beast_http::field::content_type, "application/json");
    response.keep_alive(shape.keep_alive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

http::Response engine_error_response(EngineError error, ReplyShape shape) {
    const nlohmann::json body = {{"code", static_cast<int>(error)}, {"message", message_of(error)}};
    const auto status =
        error == EngineError::forbidden ? beast_http::status::forbidden : beast_http::status::bad_request;
    return json_response(status, body.dump(), shape);
}

http::Response text_response(std::string body, ReplyShape shape) {
    http::Response response{beast_http::status::ok, shape.version};
    response.set(beast_http::field::content_type, "text/plain; charset=UTF-8");
    response.set(beast_http::field::cache_control, "no-store");
    response.keep_alive(shape.keep_alive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

PollAnswer make_poll_answer(ReplyShape shape, http::Reply reply) {
    return [shape, reply = std::move(reply)](std::string payload) {
        reply(text_response(std::move(payload), shape));
    };
}

}  // namespace ff::realtime
