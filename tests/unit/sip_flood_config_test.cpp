// The flood limit per source from the environment: SIP_RATE_LIMIT_PER_SOURCE, SIP_RATE_LIMIT_BURST,
// validated and handed to the SIP stack.
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "sip/sip_engine.hpp"

using namespace ff::config;

TEST(SipFloodConfig, defaults_are_twenty_a_second_after_a_burst_of_a_hundred) {
    const auto loaded = load_config({});
    ASSERT_TRUE(loaded.ok());
    const auto flood = ff::sip::SipEngineOptions::from(loaded.config).flood;
    EXPECT_EQ(flood.per_second, 20);
    EXPECT_EQ(flood.burst, 100);
}

TEST(SipFloodConfig, the_variables_reach_the_stack_and_zero_turns_the_limit_off) {
    const auto loaded = load_config({{"SIP_RATE_LIMIT_PER_SOURCE", "0"}, {"SIP_RATE_LIMIT_BURST", "500"}});
    ASSERT_TRUE(loaded.ok()) << format_errors(loaded.errors);
    const auto flood = ff::sip::SipEngineOptions::from(loaded.config).flood;
    EXPECT_EQ(flood.per_second, 0);
    EXPECT_EQ(flood.burst, 500);
}

TEST(SipFloodConfig, values_out_of_range_are_refused_naming_the_variable) {
    const std::vector<std::tuple<std::string, std::string, std::string>> cases{
        {"SIP_RATE_LIMIT_PER_SOURCE", "-1", "an integer from 0 to 10000"},
        {"SIP_RATE_LIMIT_PER_SOURCE", "fast", "an integer from 0 to 10000"},
        {"SIP_RATE_LIMIT_BURST", "0", "an integer from 1 to 100000"},
        {"SIP_RATE_LIMIT_BURST", "100001", "an integer from 1 to 100000"},
    };
    for (const auto& [variable, text, expected] : cases) {
        const auto loaded = load_config({{variable, text}});
        ASSERT_EQ(loaded.errors.size(), 1u) << variable << "=" << text;
        EXPECT_EQ(loaded.errors[0].variable, variable);
        EXPECT_EQ(loaded.errors[0].expected, expected);
    }
}
