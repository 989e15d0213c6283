// SIP_REGISTER_EXPIRES: how long each line's registration asks for; 300 s unless set, 30 to 3600.
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "sip/sip_engine.hpp"

using namespace ff::config;

TEST(SipRegisterExpiresConfig, defaults_to_five_minutes) {
    const auto loaded = load_config({});
    EXPECT_TRUE(loaded.ok());
    EXPECT_EQ(loaded.config.sip_register_expires, 300);
    EXPECT_EQ(ff::sip::SipEngineOptions::from(loaded.config).register_expires, 300);
}

TEST(SipRegisterExpiresConfig, accepts_the_bounds) {
    for (const auto& [text, value] : std::vector<std::pair<std::string, int>>{{"30", 30}, {"3600", 3600}}) {
        const auto loaded = load_config({{"SIP_REGISTER_EXPIRES", text}});
        EXPECT_TRUE(loaded.ok()) << text;
        EXPECT_EQ(loaded.config.sip_register_expires, value);
    }
}

TEST(SipRegisterExpiresConfig, refuses_values_out_of_range_naming_the_variable) {
    for (const std::string text : {"29", "3601", "0", "-5", "ten"}) {
        const auto loaded = load_config({{"SIP_REGISTER_EXPIRES", text}});
        ASSERT_EQ(loaded.errors.size(), 1u) << text;
        EXPECT_EQ(loaded.errors[0].variable, "SIP_REGISTER_EXPIRES");
        EXPECT_EQ(loaded.errors[0].expected, "an integer from 30 to 3600");
    }
}

TEST(SipRegisterExpiresConfig, engine_options_take_the_sip_listen_address) {
    ServiceConfig config;
    config.sip_listen = "127.0.0.1:5070";
    config.sip_register_expires = 60;
    const auto options = ff::sip::SipEngineOptions::from(config);
    EXPECT_EQ(options.listen, "127.0.0.1:5070");
    EXPECT_EQ(options.register_expires, 60);
}
