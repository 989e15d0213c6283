// The registrar's limits from the environment: SIP_DEVICE_MIN_EXPIRES, SIP_DEVICE_MAX_EXPIRES,
// SIP_AUTH_MAX_FAILURES, SIP_AUTH_LOCKOUT, validated and handed to the registrar.
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "sip/sip_engine.hpp"

using namespace ff::config;

TEST(SipRegistrarConfig, defaults_are_a_minute_to_an_hour_and_ten_failures_lock_out_for_five_minutes) {
    const auto loaded = load_config({});
    ASSERT_TRUE(loaded.ok());
    const auto registrar = ff::sip::SipEngineOptions::from(loaded.config).registrar;
    EXPECT_EQ(registrar.min_expires, 60);
    EXPECT_EQ(registrar.max_expires, 3600);
    EXPECT_EQ(registrar.default_expires, 600);
    EXPECT_EQ(registrar.failures_before_lockout, 10);
    EXPECT_EQ(registrar.lockout, std::chrono::seconds(300));
}

TEST(SipRegistrarConfig, the_variables_reach_the_registrar) {
    const auto loaded = load_config({{"SIP_DEVICE_MIN_EXPIRES", "5"},
                                     {"SIP_DEVICE_MAX_EXPIRES", "120"},
                                     {"SIP_AUTH_MAX_FAILURES", "3"},
                                     {"SIP_AUTH_LOCKOUT", "30"}});
    ASSERT_TRUE(loaded.ok()) << format_errors(loaded.errors);
    const auto registrar = ff::sip::SipEngineOptions::from(loaded.config).registrar;
    EXPECT_EQ(registrar.min_expires, 5);
    EXPECT_EQ(registrar.max_expires, 120);
    EXPECT_EQ(registrar.failures_before_lockout, 3);
    EXPECT_EQ(registrar.lockout, std::chrono::seconds(30));
}

TEST(SipRegistrarConfig, a_register_without_expires_gets_a_default_within_the_bounds) {
    const auto short_only = load_config({{"SIP_DEVICE_MAX_EXPIRES", "120"}});
    EXPECT_EQ(ff::sip::SipEngineOptions::from(short_only.config).registrar.default_expires, 120);
    const auto long_only = load_config({{"SIP_DEVICE_MIN_EXPIRES", "900"}});
    EXPECT_EQ(ff::sip::SipEngineOptions::from(long_only.config).registrar.default_expires, 900);
}

TEST(SipRegistrarConfig, zero_failures_turns_the_lock_out_off) {
    const auto loaded = load_config({{"SIP_AUTH_MAX_FAILURES", "0"}});
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(ff::sip::SipEngineOptions::from(loaded.config).registrar.failures_before_lockout, 0);
}

TEST(SipRegistrarConfig, values_out_of_range_are_refused_naming_the_variable) {
    const std::vector<std::tuple<std::string, std::string, std::string>> cases{
        {"SIP_DEVICE_MIN_EXPIRES", "0", "an integer from 1 to 3600"},
        {"SIP_DEVICE_MIN_EXPIRES", "a minute", "an integer from 1 to 3600"},
        {"SIP_DEVICE_MAX_EXPIRES", "86401", "an integer from 1 to 86400"},
        {"SIP_AUTH_MAX_FAILURES", "-1", "an integer from 0 to 1000"},
        {"SIP_AUTH_LOCKOUT", "0", "an integer from 1 to 86400"},
    };
    for (const auto& [variable, text, expected] : cases) {
        const auto loaded = load_config({{variable, text}});
        ASSERT_EQ(loaded.errors.size(), 1u) << variable << "=" << text;
        EXPECT_EQ(loaded.errors[0].variable, variable);
        EXPECT_EQ(loaded.errors[0].expected, expected);
    }
}

TEST(SipRegistrarConfig, a_minimum_above_the_maximum_is_refused) {
    const auto loaded = load_config({{"SIP_DEVICE_MIN_EXPIRES", "600"}, {"SIP_DEVICE_MAX_EXPIRES", "300"}});
    ASSERT_EQ(loaded.errors.size(), 1u);
    EXPECT_EQ(loaded.errors[0].variable, "SIP_DEVICE_MIN_EXPIRES");
    EXPECT_EQ(loaded.errors[0].shown_value, "600");
    EXPECT_EQ(loaded.errors[0].expected, "seconds not above SIP_DEVICE_MAX_EXPIRES (300)");
}
