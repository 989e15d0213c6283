// The JSON parser reports errors by exception; this is the edge where it is turned into an answer.
#include "api/request_body.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace ff::api {
namespace {

bool is_json_media_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    std::string_view media = content_type.substr(0, semicolon);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) media.remove_suffix(1);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front()))) media.remove_prefix(1);
    std::string lower(media);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower == "application/json";
}

}  // namespace

ApiResult<nlohmann::json> parse_json_body(const http::Request& request) {
    const std::string& body = request.body();
    if (body.empty()) return nlohmann::json::object();
    const auto content_type = request[http::beast_http::field::content_type];
    if (!is_json_media_type(std::string_view(content_type.data(), content_type.size()))) {
        const std::string given = content_type.empty() ? std::string("none") : std::string(content_type);
        return ApiError{http::beast_http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                        "request body must be application/json (Content-Type was " + given + ")"};
    }
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& error) {
        return ApiError{http::beast_http::status::bad_request, "INVALID_JSON",
                        "request body is not valid JSON: error at byte " + std::to_string(error.byte)};
    } catch (const nlohmann::json::out_of_range&) {
        // A number too large for a double ("1E99999") is thrown as out_of_range, not as a parse error.
        return ApiError{http::beast_http::status::bad_request, "INVALID_JSON",
                        "request body is not valid JSON: a number is out of range"};
    }
    if (!parsed.is_object()) return validation_error("request body must be a JSON object");
    return parsed;
}

}  // namespace ff::api
