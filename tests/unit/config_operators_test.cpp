// WRAPUP_SECONDS, BUSY_WHEN, PAUSE_REASONS: defaults, good values, and errors that name the variable.
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

using namespace ff::config;

namespace {

using Env = std::map<std::string, std::string>;

ConfigError only_error(const Env& env) {
    const auto result = load_config(env);
    EXPECT_EQ(result.errors.size(), 1u) << format_errors(result.errors);
    return result.errors.empty() ? ConfigError{} : result.errors.front();
}

}  // namespace

TEST(ConfigOperators, defaults_refuse_paused_wrap_up_and_on_call_lines_with_no_wrap_up) {
    const auto result = load_config({});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.wrapup_seconds, 0);
    EXPECT_EQ(result.config.busy_when, (std::vector<std::string>{"paused", "wrapup", "oncall"}));
    EXPECT_FALSE(result.config.pause_reasons.empty());
}

TEST(ConfigOperators, values_are_read_trimmed_and_none_means_never_busy) {
    const auto result = load_config({{"WRAPUP_SECONDS", "30"}, {"BUSY_WHEN", " Paused , oncall "},
                                     {"PAUSE_REASONS", "обед, обучение ,,перерыв"}});
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.wrapup_seconds, 30);
    EXPECT_EQ(result.config.busy_when, (std::vector<std::string>{"paused", "oncall"}));
    EXPECT_EQ(result.config.pause_reasons, (std::vector<std::string>{"обед", "обучение", "перерыв"}));
    EXPECT_TRUE(load_config({{"BUSY_WHEN", "none"}}).config.busy_when.empty());
}

TEST(ConfigOperators, wrong_values_name_the_variable_and_what_is_expected) {
    EXPECT_EQ(only_error({{"WRAPUP_SECONDS", "-1"}}).variable, "WRAPUP_SECONDS");
    const auto busy = only_error({{"BUSY_WHEN", "paused,lunch"}});
    EXPECT_EQ(busy.variable, "BUSY_WHEN");
    EXPECT_NE(busy.expected.find("paused, wrapup, oncall, offline"), std::string::npos) << busy.expected;
    EXPECT_EQ(only_error({{"PAUSE_REASONS", " , "}}).variable, "PAUSE_REASONS");
}

TEST(ConfigCallerId, the_customer_number_is_read_from_pai_then_rpid_then_from_unless_told_otherwise) {
    EXPECT_EQ(load_config({}).config.caller_id_order, (std::vector<std::string>{"pai", "rpid", "from"}));
    const auto result = load_config({{"CALLER_ID_ORDER", " From , PAI "}});
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.caller_id_order, (std::vector<std::string>{"from", "pai"}));
    const auto wrong = only_error({{"CALLER_ID_ORDER", "pai,diversion"}});
    EXPECT_EQ(wrong.variable, "CALLER_ID_ORDER");
    EXPECT_NE(wrong.expected.find("pai, rpid and from"), std::string::npos) << wrong.expected;
    EXPECT_EQ(wrong.shown_value, "pai,diversion");
}
