// The OpenAPI document is valid JSON and describes every route the API installs, with its method.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "api/openapi_document.hpp"
#include "api/route_table.hpp"

using namespace ff::api;

namespace {

// "/api/calls/hangup/:callId" -> "/api/calls/hangup/{callId}"
std::string openapi_path(const std::string& pattern) {
    return std::regex_replace(pattern, std::regex(":([A-Za-z]+)"), "{$1}");
}

std::string lower(boost::beast::string_view text) {
    std::string out(text.data(), text.size());
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

TEST(ApiOpenApi, document_is_openapi_3_with_bearer_security_and_error_schema) {
    const auto document = nlohmann::json::parse(openapi_document());
    EXPECT_EQ(document.at("openapi").get<std::string>().substr(0, 2), "3.");
    EXPECT_EQ(document["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    EXPECT_TRUE(document["components"]["schemas"].contains("Error"));
}

TEST(ApiOpenApi, every_route_is_documented_with_its_method) {
    const auto document = nlohmann::json::parse(openapi_document());
    const auto& paths = document.at("paths");
    ASSERT_FALSE(route_table().empty());
    for (const auto& route : route_table()) {
        const std::string path = openapi_path(route.pattern);
        const std::string method = lower(boost::beast::http::to_string(route.method));
        ASSERT_TRUE(paths.contains(path)) << path << " is not in the OpenAPI document";
        EXPECT_TRUE(paths[path].contains(method))
            << method << " " << path << " is not in the OpenAPI document";
    }
}

TEST(ApiOpenApi, every_documented_operation_is_a_route) {
    const auto document = nlohmann::json::parse(openapi_document());
    for (const auto& [path, operations] : document.at("paths").items()) {
        for (const auto& [method, operation] : operations.items()) {
            const bool routed =
                std::any_of(route_table().begin(), route_table().end(), [&](const RouteSpec& route) {
                    return openapi_path(route.pattern) == path &&
                           lower(boost::beast::http::to_string(route.method)) == method;
                });
            EXPECT_TRUE(routed) << method << " " << path << " is documented but not routed";
        }
    }
}

TEST(ApiOpenApi, every_reference_resolves) {
    const auto document = nlohmann::json::parse(openapi_document());
    const auto flat = document.flatten();
    for (const auto& [pointer, value] : flat.items()) {
        if (pointer.size() < 5 || pointer.substr(pointer.size() - 5) != "/$ref") continue;
        const std::string target = value.get<std::string>();
        ASSERT_EQ(target.rfind("#/", 0), 0u) << target;
        EXPECT_TRUE(document.contains(nlohmann::json::json_pointer(target.substr(1)))) << target;
    }
}
