// The connection check's pure parts: which names are refused without DNS, and what each step tells the admin.
#include <gtest/gtest.h>

#include "sip/diagnosis/connection_check.hpp"
#include "sip/diagnosis/server_lookup.hpp"

namespace ff::sip {
namespace {

LineConfig account(std::string username, std::string extension) {
    LineConfig line;
    line.server = "pbx.example.com";
    line.port = 5070;
    line.transport = config::SipTransport::tcp;
    line.user = {std::move(username), "secret", std::move(extension), {}};
    return line;
}

TEST(SipConnectionCheck, reserved_invalid_names_are_recognised_in_any_case_with_a_final_dot) {
    EXPECT_TRUE(is_reserved_invalid_name("pbx.foodflow.invalid"));
    EXPECT_TRUE(is_reserved_invalid_name("PBX.INVALID."));
    EXPECT_TRUE(is_reserved_invalid_name("invalid"));
    EXPECT_FALSE(is_reserved_invalid_name("invalid.example.com"));
    EXPECT_FALSE(is_reserved_invalid_name("notinvalid"));
    EXPECT_FALSE(is_reserved_invalid_name("127.0.0.1"));
}

TEST(SipConnectionCheck, a_name_that_does_not_resolve_fails_and_skips_everything_after_it) {
    const auto name = check_text::name_step("pbx.invalid", {ServerLookup::Outcome::not_found, {}, "x"}, {});
    const auto report =
        report_without_server(name, {{"operator1", "p", "1001", {}}, {"operator2", "p", "1002", {}}});
    ASSERT_EQ(report.steps.size(), 4u);
    EXPECT_EQ(report.steps[0].status, calls::StepStatus::failed);
    EXPECT_EQ(report.steps[0].outcome, "not_resolved");
    EXPECT_NE(report.steps[0].message.find("«pbx.invalid» не найдено"), std::string::npos);
    EXPECT_EQ(report.steps[1].step, "transport");
    for (std::size_t index = 1; index < 4; ++index)
        EXPECT_EQ(report.steps[index].status, calls::StepStatus::skipped);
    EXPECT_EQ(report.steps[3].extension, "1002");
    EXPECT_FALSE(report.ok());
}

TEST(SipConnectionCheck, an_ip_address_needs_no_lookup_and_is_shown) {
    const auto step = check_text::name_step("10.0.0.5", {ServerLookup::Outcome::literal, "10.0.0.5", {}}, {});
    EXPECT_EQ(step.status, calls::StepStatus::ok);
    EXPECT_EQ(step.address, "10.0.0.5");
}

TEST(SipConnectionCheck, transport_steps_name_the_address_and_transport_with_the_round_trip) {
    const auto pbx = account("operator1", "1001");
    const auto answered = check_text::transport_answered(pbx, 7, 200);
    EXPECT_EQ(answered.rtt_ms, 7);
    EXPECT_EQ(answered.message,
              "АТС pbx.example.com:5070 по TCP ответила на SIP OPTIONS за 7 мс (ответ 200).");
    const auto silent = check_text::transport_silent(pbx, {}, std::chrono::milliseconds(3000));
    EXPECT_EQ(silent.status, calls::StepStatus::failed);
    EXPECT_EQ(silent.outcome, "no_answer");
    EXPECT_NE(silent.message.find("pbx.example.com:5070 по TCP: нет ответа за 3.0 с"), std::string::npos);
}

TEST(SipConnectionCheck, account_outcomes_say_what_is_wrong_with_which_login) {
    const auto line = account("operator1", "1001");
    const auto wrong =
        check_text::account_step(line, {TrialResult::Outcome::wrong_password, 403, "Forbidden"}, {});
    EXPECT_EQ(wrong.outcome, "wrong_password");
    EXPECT_EQ(wrong.sip_status, 403);
    EXPECT_EQ(wrong.extension, "1001");
    EXPECT_NE(wrong.message.find("Неверный пароль"), std::string::npos);
    EXPECT_NE(wrong.message.find("operator1 (ответ 403 Forbidden)"), std::string::npos);
    const auto unknown =
        check_text::account_step(line, {TrialResult::Outcome::unknown_user, 404, "Not Found"}, {});
    EXPECT_NE(unknown.message.find("Пользователь operator1 не найден на АТС"), std::string::npos);
    const auto accepted = check_text::account_step(line, {TrialResult::Outcome::accepted, 200, "OK"}, {});
    EXPECT_EQ(accepted.status, calls::StepStatus::ok);
    const auto silent = check_text::account_step(line, {TrialResult::Outcome::no_answer, std::nullopt, {}},
                                                 std::chrono::milliseconds(4000));
    EXPECT_EQ(silent.status, calls::StepStatus::failed);
    EXPECT_FALSE(silent.sip_status.has_value());
}

}  // namespace
}  // namespace ff::sip
