// Field-level checks the settings API reuses: field names are the JSON API's camelCase ones.
#include <gtest/gtest.h>

#include "config/settings_validation.hpp"

using namespace ff::config;

namespace {

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
    std::vector<std::string> names;
    for (const auto& error : errors) names.push_back(error.field);
    return names;
}

SipUser user(std::string username, std::string password, std::string extension, std::string name) {
    return SipUser{std::move(username), std::move(password), std::move(extension), std::move(name)};
}

}  // namespace

TEST(ConfigValidation, default_pbx_settings_are_valid) {
    EXPECT_TRUE(validate_pbx_settings(PbxSettings{}).empty());
}

TEST(ConfigValidation, pbx_settings_name_each_bad_field) {
    PbxSettings settings;
    settings.server = "sip example";
    settings.port = 0;
    settings.rtp_port_min = 80;
    settings.rtp_port_max = 1000;
    settings.stun_server = "stun:abc";
    EXPECT_EQ(fields(validate_pbx_settings(settings)),
              (std::vector<std::string>{"server", "port", "rtpPortMin", "rtpPortMax", "stunServer"}));
}

TEST(ConfigValidation, rtp_range_upside_down_blames_rtp_port_max) {
    PbxSettings settings;
    settings.rtp_port_min = 6000;
    settings.rtp_port_max = 5000;
    const auto errors = validate_pbx_settings(settings);
    ASSERT_EQ(fields(errors), std::vector<std::string>{"rtpPortMax"});
    EXPECT_NE(errors[0].message.find("rtpPortMin"), std::string::npos);
}

TEST(ConfigValidation, pbx_server_accepts_names_and_addresses) {
    for (const std::string server :
         {"sip.example.com", "192.168.1.100", "::1", "[2001:db8::1]", "localhost"}) {
        PbxSettings settings;
        settings.server = server;
        EXPECT_TRUE(validate_pbx_settings(settings).empty()) << server;
    }
}

TEST(ConfigValidation, transport_parses_case_insensitively) {
    EXPECT_EQ(parse_sip_transport("udp"), SipTransport::udp);
    EXPECT_EQ(parse_sip_transport("TCP"), SipTransport::tcp);
    EXPECT_EQ(parse_sip_transport("tLs"), SipTransport::tls);
    EXPECT_FALSE(parse_sip_transport("WS"));
}

TEST(ConfigValidation, sip_user_good_with_cyrillic_name) {
    EXPECT_TRUE(validate_sip_user(user("operator1", "pass123", "1001", "Иванов И.И.")).empty());
}

TEST(ConfigValidation, sip_user_names_each_bad_field) {
    EXPECT_EQ(fields(validate_sip_user(user("", "", "1", "\x01"))),
              (std::vector<std::string>{"extension", "username", "password", "displayName"}));
    EXPECT_EQ(fields(validate_sip_user(user("op", "p", "12a4", "x"))), std::vector<std::string>{"extension"});
    EXPECT_EQ(fields(validate_sip_user(user("op@pbx", "p", "1234", "x"))),
              std::vector<std::string>{"username"});
    EXPECT_EQ(fields(validate_sip_user(user("op", "p", "1234", "\xD0"))),
              std::vector<std::string>{"displayName"});
    EXPECT_EQ(fields(validate_sip_user(user("op", "p", "1234", std::string(65, 'a')))),
              std::vector<std::string>{"displayName"});
}

TEST(ConfigValidation, messages_never_contain_the_password) {
    for (const auto& error : validate_sip_user(user("bad user", "hunter2\n", "x", ""))) {
        EXPECT_EQ(error.message.find("hunter2"), std::string::npos);
    }
}
