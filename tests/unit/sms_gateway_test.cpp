// The SMS gateway's request from settings alone: the number and the text filled into the URL, a form body or
// a JSON body, each encoded as its place needs; headers from SMS_GATEWAY_HEADERS.
#include <gtest/gtest.h>

#include "config/value_checks.hpp"
#include "sms/sms_gateway.hpp"

using namespace ff;

TEST(SmsGateway, a_get_fills_the_url_with_the_number_and_the_text_url_encoded) {
    sms::GatewayOptions options;
    options.url = "https://sms.ru/sms/send?api_id=KEY&to={phone}&msg={text}&json=1";
    const auto request = sms::gateway_request(options, "+79991234567", "Перезвоним & скоро");
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->url.tls);
    EXPECT_EQ(request->url.host, "sms.ru");
    EXPECT_EQ(request->url.target,
              "/sms/send?api_id=KEY&to=%2B79991234567&msg=%D0%9F%D0%B5%D1%80%D0%B5%D0%B7%D0%B2%D0%BE%D0%BD%D0%B8%D0%BC%20%26%20"
              "%D1%81%D0%BA%D0%BE%D1%80%D0%BE&json=1");
    EXPECT_EQ(request->method, boost::beast::http::verb::get);
    EXPECT_TRUE(request->body.empty());
}

TEST(SmsGateway, a_post_body_is_json_escaped_or_form_encoded_by_its_content_type) {
    sms::GatewayOptions options;
    options.url = "http://127.0.0.1:9000/send";
    options.method = "POST";
    options.content_type = "application/json";
    options.body = R"({"to":"{phone}","text":"{text}"})";
    options.headers = {{"Authorization", "Bearer k"}};
    const auto json = sms::gateway_request(options, "+79991234567", "say \"hi\"\n");
    ASSERT_TRUE(json);
    EXPECT_EQ(json->body, R"({"to":"+79991234567","text":"say \"hi\"\n"})");
    EXPECT_EQ(json->headers, (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer k"},
                                                                               {"Content-Type", "application/json"}}));
    options.content_type = "application/x-www-form-urlencoded";
    options.body = "phones={phone}&mes={text}";
    EXPECT_EQ(sms::gateway_request(options, "+79991234567", "a b")->body, "phones=%2B79991234567&mes=a%20b");
    options.url = "ftp://x/{phone}";
    EXPECT_FALSE(sms::gateway_request(options, "+7", "t"));
}

TEST(SmsGateway, headers_are_name_value_pairs_and_a_broken_one_is_refused) {
    using Headers = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(config::parse_header_list("Authorization: Bearer k ; X-Sender: FoodFlow;"),
              (Headers{{"Authorization", "Bearer k"}, {"X-Sender", "FoodFlow"}}));
    EXPECT_FALSE(config::parse_header_list("no colon here"));
    EXPECT_FALSE(config::parse_header_list(": value"));
    EXPECT_FALSE(config::parse_header_list("Bad Name: value"));
}
