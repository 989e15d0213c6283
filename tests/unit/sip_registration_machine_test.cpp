// One line's registration without SIP: a challenge answered once, backoff after failures, honest details.
#include <gtest/gtest.h>

#include "sip/lines/registration_machine.hpp"

using namespace ff::sip;
using Action = RegistrationStep::Action;
using Phase = RegistrationMachine::Phase;
using std::chrono::milliseconds;

namespace {

RegistrationResponse from_pbx(int status, std::string_view phrase) {
    return {status, phrase, true};
}
RegistrationResponse from_stack(int status, std::string_view phrase) {
    return {status, phrase, false};
}

RegistrationMachine machine(std::optional<std::string> cannot_authenticate = std::nullopt) {
    return RegistrationMachine("127.0.0.1:5060 over UDP", BackoffPolicy{}, std::move(cannot_authenticate), 3);
}

// Starts and answers the first challenge, as every line against a digest-auth PBX does.
RegistrationMachine challenged() {
    auto line = machine();
    line.start();
    EXPECT_EQ(line.on_response(from_pbx(401, "Unauthorized")).action, Action::authenticate);
    return line;
}

}  // namespace

TEST(SipRegistration, start_sends_a_register_and_says_where) {
    auto line = machine();
    EXPECT_EQ(line.phase(), Phase::idle);
    EXPECT_EQ(line.start().action, Action::send_register);
    EXPECT_EQ(line.phase(), Phase::registering);
    EXPECT_FALSE(line.registered());
    EXPECT_EQ(line.detail(), "registering at 127.0.0.1:5060 over UDP");
}

TEST(SipRegistration, first_challenge_is_answered_then_ok_registers) {
    auto line = challenged();
    EXPECT_EQ(line.on_response(from_pbx(200, "OK")).action, Action::none);
    EXPECT_TRUE(line.registered());
    EXPECT_EQ(line.detail(), "registered at 127.0.0.1:5060 over UDP");
}

TEST(SipRegistration, proxy_challenge_is_answered_too) {
    auto line = machine();
    line.start();
    EXPECT_EQ(line.on_response(from_pbx(407, "Proxy Authentication Required")).action, Action::authenticate);
}

TEST(SipRegistration, second_challenge_means_wrong_password_and_is_not_answered_again) {
    auto line = challenged();
    const auto step = line.on_response(from_pbx(401, "Unauthorized"));
    EXPECT_EQ(step.action, Action::retry_later);
    EXPECT_EQ(line.phase(), Phase::retry_wait);
    EXPECT_EQ(line.detail(), "401 Unauthorized: wrong password?");
}

TEST(SipRegistration, forbidden_after_credentials_names_the_password) {
    auto line = challenged();
    const auto step = line.on_response(from_pbx(403, "Forbidden"));
    EXPECT_EQ(step.action, Action::retry_later);
    EXPECT_LE(step.delay, milliseconds(1000));
    EXPECT_GE(step.delay, milliseconds(800));
    EXPECT_EQ(line.detail(), "403 Forbidden: wrong password?");
}

TEST(SipRegistration, unknown_user_says_so) {
    auto line = machine();
    line.start();
    line.on_response(from_pbx(404, "Not Found"));
    EXPECT_EQ(line.detail(), "404 Not Found: unknown user at the PBX?");
}

TEST(SipRegistration, timeout_from_the_stack_means_no_answer_from_the_pbx) {
    auto line = machine();
    line.start();
    EXPECT_EQ(line.on_response(from_stack(408, "Request Timeout")).action, Action::retry_later);
    EXPECT_EQ(line.detail(), "408 no answer from PBX");
}

TEST(SipRegistration, transport_error_means_unreachable) {
    auto line = machine();
    line.start();
    line.on_response(from_stack(503, "Connection refused"));
    EXPECT_EQ(line.detail(), "503 PBX unreachable at 127.0.0.1:5060 over UDP");
}

TEST(SipRegistration, no_transport_in_the_stack_is_not_blamed_on_the_pbx) {
    RegistrationMachine line("pbx:5061 over TLS", BackoffPolicy{}, std::nullopt, 3);
    line.start();
    EXPECT_EQ(line.on_response(from_stack(503, "No transport")).action, Action::retry_later);
    EXPECT_EQ(
        line.detail(),
        "503 no transport for pbx:5061 over TLS in the SIP stack (TLS needs SIP_TLS_CERT and SIP_TLS_KEY)");
}

TEST(SipRegistration, silence_over_tls_points_at_the_certificate) {
    RegistrationMachine line("pbx:5061 over TLS", BackoffPolicy{}, std::nullopt, 3);
    line.start();
    EXPECT_EQ(line.on_response(from_stack(408, "Request Timeout")).action, Action::retry_later);
    EXPECT_EQ(line.detail(), "408 no answer from PBX over TLS (is its certificate signed by SIP_TLS_CA?)");
}

TEST(SipRegistration, service_unavailable_from_the_pbx_is_shown_as_it_came) {
    auto line = machine();
    line.start();
    line.on_response(from_pbx(503, "Service Unavailable"));
    EXPECT_EQ(line.detail(), "503 Service Unavailable");
}

TEST(SipRegistration, provisional_and_restarted_answers_change_nothing) {
    auto line = machine();
    line.start();
    EXPECT_EQ(line.on_response(from_pbx(100, "Trying")).action, Action::none);
    EXPECT_EQ(line.on_response(from_pbx(100, "Request Authorized by Cache")).action, Action::none);
    EXPECT_EQ(line.phase(), Phase::registering);
}

TEST(SipRegistration, consecutive_failures_back_off_exponentially) {
    auto line = machine();
    line.start();
    long nominal = 1000;
    for (int failure = 1; failure <= 7; ++failure) {
        const auto step = line.on_response(from_stack(408, "Request Timeout"));
        ASSERT_EQ(step.action, Action::retry_later);
        EXPECT_LE(step.delay.count(), nominal) << "failure " << failure;
        EXPECT_GE(step.delay.count(), nominal * 8 / 10) << "failure " << failure;
        EXPECT_EQ(line.on_retry_due().action, Action::send_register);
        nominal = std::min(nominal * 2, 30000L);
    }
}

TEST(SipRegistration, a_retry_keeps_the_failure_detail_until_it_succeeds) {
    auto line = challenged();
    line.on_response(from_pbx(403, "Forbidden"));
    EXPECT_EQ(line.on_retry_due().action, Action::send_register);
    EXPECT_EQ(line.phase(), Phase::registering);
    EXPECT_EQ(line.detail(), "403 Forbidden: wrong password?");
    // The retry may answer a challenge again: each attempt gets one answer.
    EXPECT_EQ(line.on_response(from_pbx(401, "Unauthorized")).action, Action::authenticate);
    line.on_response(from_pbx(200, "OK"));
    EXPECT_TRUE(line.registered());
}

TEST(SipRegistration, success_resets_the_backoff) {
    auto line = machine();
    line.start();
    for (int i = 0; i < 5; ++i) {
        line.on_response(from_stack(503, "Connection refused"));
        line.on_retry_due();
    }
    line.on_response(from_pbx(200, "OK"));
    EXPECT_EQ(line.failures(), 0);
    EXPECT_LE(line.on_response(from_stack(408, "Request Timeout")).delay, milliseconds(1000));
}

TEST(SipRegistration, failed_refresh_unregisters_the_line_and_retries) {
    auto line = challenged();
    line.on_response(from_pbx(200, "OK"));
    const auto step = line.on_response(from_stack(408, "Request Timeout"));
    EXPECT_EQ(step.action, Action::retry_later);
    EXPECT_FALSE(line.registered());
    EXPECT_EQ(line.detail(), "408 no answer from PBX");
}

TEST(SipRegistration, challenge_on_a_refresh_is_answered_once_more) {
    auto line = challenged();
    line.on_response(from_pbx(200, "OK"));
    EXPECT_EQ(line.on_response(from_pbx(401, "Unauthorized")).action, Action::authenticate);
    EXPECT_EQ(line.on_response(from_pbx(401, "Unauthorized")).action, Action::retry_later);
}

TEST(SipRegistration, credentials_the_stack_cannot_send_fail_at_the_challenge) {
    auto line = machine("the password contains ':' which this SIP stack cannot send");
    line.start();
    EXPECT_EQ(line.on_response(from_pbx(401, "Unauthorized")).action, Action::retry_later);
    EXPECT_EQ(line.detail(), "401 Unauthorized: the password contains ':' which this SIP stack cannot send");
}

TEST(SipRegistration, late_answers_while_waiting_to_retry_are_ignored) {
    auto line = machine();
    line.start();
    line.on_response(from_stack(408, "Request Timeout"));
    EXPECT_EQ(line.on_response(from_pbx(200, "OK")).action, Action::none);
    EXPECT_FALSE(line.registered());
    EXPECT_EQ(line.phase(), Phase::retry_wait);
}

TEST(SipRegistration, local_error_fails_like_any_other) {
    auto line = machine();
    line.start();
    EXPECT_EQ(line.on_local_error("SIP stack error: cannot create a handle").action, Action::retry_later);
    EXPECT_EQ(line.detail(), "SIP stack error: cannot create a handle");
}

TEST(SipRegistration, credentials_problem_names_the_colon) {
    EXPECT_FALSE(credentials_problem({"1001", "secret", "1001", "Ann"}));
    EXPECT_TRUE(credentials_problem({"1001", "se:cret", "1001", "Ann"}));
    EXPECT_TRUE(credentials_problem({"10:01", "secret", "1001", "Ann"}));
}
