// Request checks: body media type and syntax, field types and lengths, query integers, error mapping.
#include <gtest/gtest.h>

#include "api/api_error.hpp"
#include "api/fields.hpp"
#include "api/request_body.hpp"

using namespace ff::api;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

ff::http::Request post_with(std::string content_type, std::string body) {
    ff::http::Request request{http::verb::post, "/api/calls/dial", 11};
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    request.body() = std::move(body);
    return request;
}

}  // namespace

TEST(ApiRequestBody, empty_body_is_an_empty_object) {
    const auto body = parse_json_body(post_with("", ""));
    ASSERT_TRUE(body);
    EXPECT_TRUE(body->is_object());
    EXPECT_TRUE(body->empty());
}

TEST(ApiRequestBody, json_with_charset_is_accepted) {
    const auto body = parse_json_body(post_with("Application/JSON; charset=utf-8", R"({"from":"1001"})"));
    ASSERT_TRUE(body);
    EXPECT_EQ(body->at("from"), "1001");
}

TEST(ApiRequestBody, text_plain_is_unsupported_media_type) {
    const auto body = parse_json_body(post_with("text/plain", R"({"from":"1001"})"));
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().status, http::status::unsupported_media_type);
    EXPECT_EQ(body.error().code, "UNSUPPORTED_MEDIA_TYPE");
    EXPECT_NE(body.error().message.find("text/plain"), std::string::npos);
}

TEST(ApiRequestBody, broken_json_names_the_position) {
    const auto body = parse_json_body(post_with("application/json", R"({"from": 1001,})"));
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, "INVALID_JSON");
    EXPECT_EQ(body.error().status, http::status::bad_request);
    EXPECT_NE(body.error().message.find("byte 15"), std::string::npos) << body.error().message;
}

TEST(ApiRequestBody, a_number_too_large_is_invalid_json_not_an_internal_error) {
    const auto body = parse_json_body(post_with("application/json", R"({"port": 1E99999})"));
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, "INVALID_JSON");
    EXPECT_EQ(body.error().status, http::status::bad_request);
}

TEST(ApiRequestBody, non_object_json_is_refused) {
    const auto body = parse_json_body(post_with("application/json", "[1,2]"));
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, "VALIDATION_FAILED");
}

TEST(ApiFields, required_string_names_missing_wrong_type_and_too_long) {
    const json body = {{"name", 5}, {"note", std::string(2001, 'x')}, {"blank", "   "}};
    EXPECT_EQ(required_string(body, "from", 10).error().message, "from is required");
    EXPECT_EQ(required_string(body, "name", 10).error().message, "name must be a string");
    EXPECT_EQ(required_string(body, "note", 2000).error().message, "note must be 1 to 2000 characters long");
    EXPECT_EQ(required_string(body, "blank", 10).error().message, "blank must not be empty");
    EXPECT_EQ(*required_string(json{{"to", "  +7999 "}}, "to", 20), "+7999");
}

TEST(ApiFields, lengths_count_characters_not_bytes) {
    EXPECT_EQ(utf8_length("Иван"), 4u);
    const json body = {{"note", std::string(2000 / 2, 'x') + std::string(1000, 'y')}};
    EXPECT_TRUE(required_string(body, "note", 2000));
    std::string cyrillic;
    for (int i = 0; i < 2000; ++i) cyrillic += "ж";
    EXPECT_TRUE(required_string(json{{"note", cyrillic}}, "note", 2000));
}

TEST(ApiFields, booleans_and_integers_are_typed) {
    EXPECT_FALSE(optional_bool(json{{"autoAnswer", "yes"}}, "autoAnswer"));
    EXPECT_EQ(*optional_bool(json{{"autoAnswer", true}}, "autoAnswer"), std::optional<bool>(true));
    EXPECT_EQ(*optional_bool(json::object(), "autoAnswer"), std::optional<bool>());
    EXPECT_FALSE(optional_integer(json{{"port", 70000}}, "port", 1, 65535));
    EXPECT_FALSE(optional_integer(json{{"port", 50.5}}, "port", 1, 65535));
    EXPECT_FALSE(optional_integer(json{{"port", "5060"}}, "port", 1, 65535));
    EXPECT_EQ(optional_integer(json{{"port", 5060}}, "port", 1, 65535)->value(), 5060);
}

TEST(ApiFields, query_integers_are_whole_numbers_in_range) {
    EXPECT_EQ(*query_integer({}, "limit", 100, 1, 500), 100);
    EXPECT_EQ(*query_integer({{"limit", "500"}}, "limit", 100, 1, 500), 500);
    for (const char* bad : {"0", "501", "-1", "abc", "10x", "", "1e2", " 5"}) {
        const auto value = query_integer({{"limit", bad}}, "limit", 100, 1, 500);
        ASSERT_FALSE(value) << bad;
        EXPECT_EQ(value.error().message.rfind("limit must be", 0), 0u);
    }
}

TEST(ApiFields, extensions_are_digits) {
    EXPECT_TRUE(is_extension("1001"));
    EXPECT_FALSE(is_extension(""));
    EXPECT_FALSE(is_extension("10a1"));
    EXPECT_FALSE(is_extension("+1001"));
}

TEST(ApiErrors, model_errors_map_to_status_and_stable_code) {
    using ff::calls::ErrorCode;
    const auto map = [](ErrorCode code, Subject subject = Subject::other) {
        return from_error(ff::calls::make_error(code, "m"), subject);
    };
    EXPECT_EQ(map(ErrorCode::invalid_argument).status, http::status::bad_request);
    EXPECT_EQ(map(ErrorCode::invalid_argument).code, "VALIDATION_FAILED");
    EXPECT_EQ(map(ErrorCode::not_found).code, "NOT_FOUND");
    EXPECT_EQ(map(ErrorCode::not_found, Subject::call).code, "CALL_NOT_FOUND");
    EXPECT_EQ(map(ErrorCode::not_found).status, http::status::not_found);
    EXPECT_EQ(map(ErrorCode::invalid_state).status, http::status::conflict);
    EXPECT_EQ(map(ErrorCode::invalid_state).code, "INVALID_CALL_STATE");
    EXPECT_EQ(map(ErrorCode::forbidden).status, http::status::forbidden);
    EXPECT_EQ(map(ErrorCode::conflict).status, http::status::conflict);
    EXPECT_EQ(map(ErrorCode::unavailable).status, http::status::service_unavailable);
    EXPECT_EQ(map(ErrorCode::unavailable).code, "SIP_UNAVAILABLE");
    EXPECT_EQ(map(ErrorCode::timeout).status, http::status::gateway_timeout);
    EXPECT_EQ(map(ErrorCode::timeout).code, "INSTANCE_TIMEOUT");
    EXPECT_EQ(map(ErrorCode::unreachable).status, http::status::service_unavailable);
    EXPECT_EQ(map(ErrorCode::unreachable).code, "INSTANCE_UNREACHABLE");
    EXPECT_EQ(map(ErrorCode::unreachable).retry_after_seconds, 5);
    EXPECT_EQ(map(ErrorCode::internal).status, http::status::internal_server_error);
}

TEST(ApiErrors, error_response_has_the_one_shape_and_no_store) {
    const auto response = error_response(validation_error("to must be a phone number"));
    EXPECT_EQ(response.result(), http::status::bad_request);
    EXPECT_EQ(response[http::field::cache_control], "no-store");
    const auto body = json::parse(response.body());
    EXPECT_EQ(
        body,
        (json{{"success", false}, {"error", "to must be a phone number"}, {"code", "VALIDATION_FAILED"}}));
}

TEST(ApiErrors, invalid_utf8_in_a_message_does_not_throw) {
    const auto response = error_response(not_found("nothing at /\xff\xfe"));
    EXPECT_TRUE(json::accept(response.body()));
}
