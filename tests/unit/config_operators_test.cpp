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

TEST(ConfigDialledNumber, the_order_the_names_and_the_ivr_header_are_read_and_bad_values_named) {
    const auto defaults = load_config({}).config;
    EXPECT_EQ(defaults.dialled_number_order, (std::vector<std::string>{"pcpid", "diversion", "history", "to", "ruri"}));
    EXPECT_TRUE(defaults.dialled_names.empty());
    EXPECT_EQ(defaults.ivr_header, "");
    const auto result = load_config({{"DIALLED_NUMBER_ORDER", "Diversion, to"},
                                     {"DIALLED_NAMES", "+74951234567=Пицца на Ленина; 8 495 765-43-21 = Суши, роллы ;"},
                                     {"IVR_HEADER", "X-IVR-Choice"}});
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.dialled_number_order, (std::vector<std::string>{"diversion", "to"}));
    using Names = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(result.config.dialled_names, (Names{{"+74951234567", "Пицца на Ленина"}, {"8 495 765-43-21", "Суши, роллы"}}));
    EXPECT_EQ(result.config.ivr_header, "X-IVR-Choice");

    EXPECT_EQ(only_error({{"DIALLED_NUMBER_ORDER", "to,from"}}).variable, "DIALLED_NUMBER_ORDER");
    const auto nameless = only_error({{"DIALLED_NAMES", "+74951234567"}});
    EXPECT_EQ(nameless.variable, "DIALLED_NAMES");
    EXPECT_NE(nameless.expected.find("number=name"), std::string::npos) << nameless.expected;
    EXPECT_EQ(only_error({{"IVR_HEADER", "X IVR: 1"}}).variable, "IVR_HEADER");
}

TEST(ConfigWebhooks, the_timeout_and_the_retry_window_are_read_within_their_bounds) {
    const auto defaults = load_config({}).config;
    EXPECT_EQ(defaults.webhook_timeout_seconds, 10);
    EXPECT_EQ(defaults.webhook_retry_max_seconds, 600);
    EXPECT_EQ(defaults.webhook_retry_hours, 24);
    const auto result = load_config({{"WEBHOOK_TIMEOUT_SECONDS", "3"}, {"WEBHOOK_RETRY_MAX_SECONDS", "60"}, {"WEBHOOK_RETRY_HOURS", "48"}});
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.webhook_timeout_seconds, 3);
    EXPECT_EQ(result.config.webhook_retry_max_seconds, 60);
    EXPECT_EQ(result.config.webhook_retry_hours, 48);
    EXPECT_EQ(only_error({{"WEBHOOK_TIMEOUT_SECONDS", "0"}}).variable, "WEBHOOK_TIMEOUT_SECONDS");
}

TEST(ConfigSms, the_gateway_is_read_and_its_key_never_shown_in_an_error) {
    const auto defaults = load_config({}).config;
    EXPECT_EQ(defaults.sms_gateway_url, "");
    EXPECT_EQ(defaults.sms_gateway_method, "GET");
    EXPECT_EQ(defaults.sms_min_interval_minutes, 60);
    const auto result = load_config({{"SMS_GATEWAY_URL", "https://sms.ru/sms/send?api_id=SECRET&to={phone}&msg={text}"},
                                     {"SMS_GATEWAY_METHOD", "POST"},
                                     {"SMS_GATEWAY_HEADERS", "Authorization: Bearer SECRET"},
                                     {"SMS_MISSED_TEXT", "Перезвоним"},
                                     {"SMS_MIN_INTERVAL_MINUTES", "30"}});
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.sms_gateway_method, "POST");
    EXPECT_EQ(result.config.sms_gateway_headers.size(), 1u);
    EXPECT_EQ(result.config.sms_missed_text, "Перезвоним");
    EXPECT_EQ(result.config.sms_min_interval_minutes, 30);

    const auto url = only_error({{"SMS_GATEWAY_URL", "smtp://SECRET@mail"}});
    EXPECT_EQ(url.variable, "SMS_GATEWAY_URL");
    EXPECT_EQ(url.shown_value.find("SECRET"), std::string::npos) << url.shown_value;
    const auto headers = only_error({{"SMS_GATEWAY_HEADERS", "Authorization Bearer SECRET"}});
    EXPECT_EQ(headers.variable, "SMS_GATEWAY_HEADERS");
    EXPECT_EQ(headers.shown_value.find("SECRET"), std::string::npos);
    EXPECT_EQ(only_error({{"SMS_GATEWAY_METHOD", "PUT"}}).variable, "SMS_GATEWAY_METHOD");
}
