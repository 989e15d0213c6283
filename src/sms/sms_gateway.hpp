// The call centre's SMS gateway over HTTP, described by settings alone (SMS_GATEWAY_*), so that gateways such
// as SMS.ru or SMSC fit without code: a URL template, a method, a body template and headers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/http_client.hpp"

namespace ff::sms {

struct GatewayOptions {
    std::string url;           // SMS_GATEWAY_URL: http(s)://…, {phone} and {text} replaced, URL-encoded
    std::string method = "GET";  // SMS_GATEWAY_METHOD: GET or POST
    std::string body;          // SMS_GATEWAY_BODY: POST's body, {phone} and {text} replaced
    std::string content_type = "application/x-www-form-urlencoded";  // SMS_GATEWAY_CONTENT_TYPE
    std::vector<std::pair<std::string, std::string>> headers;        // SMS_GATEWAY_HEADERS
    std::chrono::milliseconds timeout{10'000};
};

// The request that sends `text` to `phone`: in the URL both are percent-encoded; in a JSON body
// (content type with "json") they are JSON string contents, in any other body percent-encoded.
// nullopt when the URL that results is not http(s).
std::optional<http::ClientRequest> gateway_request(const GatewayOptions& options, const std::string& phone,
                                                   const std::string& text);

}  // namespace ff::sms
