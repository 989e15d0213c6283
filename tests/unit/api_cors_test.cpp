// CORS decisions: only listed origins get access, "*" only when configured, preflights list the methods.
#include <gtest/gtest.h>

#include "api/cors_policy.hpp"

using namespace ff::api;
namespace http = boost::beast::http;

TEST(ApiCors, listed_origin_is_echoed_and_others_get_nothing) {
    CorsPolicy cors({"http://crm.example.test", "https://other.example.test/"});
    EXPECT_FALSE(cors.allows_any());
    EXPECT_TRUE(cors.allows("http://crm.example.test"));
    EXPECT_TRUE(cors.allows("https://other.example.test"));
    EXPECT_TRUE(cors.allows("HTTP://CRM.example.test"));
    EXPECT_FALSE(cors.allows("http://evil.example.test"));
    EXPECT_FALSE(cors.allows("http://crm.example.test.evil.test"));
    EXPECT_FALSE(cors.allows(""));

    ff::http::Response allowed;
    cors.decorate(allowed, "http://crm.example.test");
    EXPECT_EQ(allowed[http::field::access_control_allow_origin], "http://crm.example.test");
    EXPECT_EQ(allowed[http::field::vary], "Origin");

    ff::http::Response refused;
    cors.decorate(refused, "http://evil.example.test");
    EXPECT_EQ(refused.count(http::field::access_control_allow_origin), 0u);
}

TEST(ApiCors, no_origins_configured_allows_none) {
    CorsPolicy cors({});
    EXPECT_FALSE(cors.allows("http://localhost:3000"));
}

TEST(ApiCors, star_only_when_configured_explicitly) {
    CorsPolicy cors({"*"});
    EXPECT_TRUE(cors.allows_any());
    EXPECT_TRUE(cors.allows("http://anything.test"));
    ff::http::Response response;
    cors.decorate(response, "http://anything.test");
    EXPECT_EQ(response[http::field::access_control_allow_origin], "*");
}

TEST(ApiCors, preflight_lists_methods_and_headers) {
    CorsPolicy cors({"http://crm.example.test"});
    const auto response = cors.preflight("http://crm.example.test", {http::verb::put, http::verb::get});
    EXPECT_EQ(response.result(), http::status::no_content);
    EXPECT_EQ(response[http::field::access_control_allow_origin], "http://crm.example.test");
    EXPECT_EQ(response[http::field::access_control_allow_methods], "GET, PUT, OPTIONS");
    EXPECT_EQ(response[http::field::access_control_allow_headers], "Authorization, Content-Type");
}

TEST(ApiCors, method_list_is_sorted_without_duplicates) {
    EXPECT_EQ(method_list({http::verb::post, http::verb::post, http::verb::delete_}),
              "DELETE, POST, OPTIONS");
}
