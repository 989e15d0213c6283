// HTTP side of the polling transport: the engine's error answers, "ok", payload bodies and held GETs.
#pragma once

#include <string>
#include <string_view>

#include "http/http_types.hpp"
#include "realtime/engine_session.hpp"

namespace ff::realtime {

// The Engine.IO server's error codes, answered as HTTP 400 {"code":N,"message":"..."}.
enum class EngineError {
    transport_unknown = 0,
    unknown_sid = 1,
    bad_handshake_method = 2,
    bad_request = 3,
    forbidden = 4,
    unsupported_protocol_version = 5,
};

std::string_view message_of(EngineError error);

// Answers keep the request's HTTP version and keep-alive wish.
struct ReplyShape {
    unsigned version = 11;
    bool keep_alive = true;
    static ReplyShape of(const http::Request& request) { return {request.version(), request.keep_alive()}; }
};

http::Response engine_error_response(EngineError error, ReplyShape shape);
http::Response json_response(http::beast_http::status status, std::string body, ReplyShape shape);
http::Response text_response(std::string body, ReplyShape shape);  // "ok" and polling payloads

// The held GET's answer: turns the session's payload into the HTTP response.
PollAnswer make_poll_answer(ReplyShape shape, http::Reply reply);

}  // namespace ff::realtime
