// Registration decisions: answer a challenge once, keep refreshing (the stack does), back off on failure.
#include "sip/lines/registration_machine.hpp"

#include <utility>

namespace ff::sip {
namespace {

std::string status_text(const RegistrationResponse& response) {
    std::string text = std::to_string(response.status);
    if (!response.phrase.empty()) text += " " + std::string(response.phrase);
    return text;
}

bool is_challenge(int status) {
    return status == 401 || status == 407;
}

}  // namespace

RegistrationMachine::RegistrationMachine(std::string target, BackoffPolicy backoff,
                                         std::optional<std::string> cannot_authenticate, std::uint32_t seed)
    : target_(std::move(target)),
      cannot_authenticate_(std::move(cannot_authenticate)),
      backoff_(backoff, seed) {}

RegistrationStep RegistrationMachine::start() {
    phase_ = Phase::registering;
    challenges_answered_ = 0;
    detail_ = "registering at " + target_;
    return {RegistrationStep::Action::send_register, {}};
}

RegistrationStep RegistrationMachine::on_retry_due() {
    if (phase_ != Phase::retry_wait) return {};
    phase_ = Phase::registering;
    challenges_answered_ = 0;
    // The detail keeps the last failure until the retry succeeds or fails differently: a line that keeps
    // failing the same way does not flap between "registering" and "failed" every few seconds.
    return {RegistrationStep::Action::send_register, {}};
}

RegistrationStep RegistrationMachine::on_response(const RegistrationResponse& response) {
    if (phase_ == Phase::idle || phase_ == Phase::retry_wait) return {};  // late answer to a dropped attempt
    if (response.status < 200) return {};                                 // trying, or restarted by the stack
    if (response.status < 300) {
        phase_ = Phase::registered;
        challenges_answered_ = 0;
        backoff_.reset();
        detail_ = "registered at " + target_;
        return {};
    }
    if (is_challenge(response.status) && response.from_pbx) {
        if (cannot_authenticate_) return fail(status_text(response) + ": " + *cannot_authenticate_);
        if (challenges_answered_ == 0) {
            ++challenges_answered_;
            return {RegistrationStep::Action::authenticate, {}};
        }
        return fail(describe_failure(response, target_));
    }
    return fail(describe_failure(response, target_));
}

RegistrationStep RegistrationMachine::on_local_error(std::string detail) {
    if (phase_ == Phase::idle || phase_ == Phase::retry_wait) return {};
    return fail(std::move(detail));
}

RegistrationStep RegistrationMachine::on_pbx_lost(std::string detail) {
    if (phase_ == Phase::idle) return {};
    return fail(std::move(detail));
}

RegistrationStep RegistrationMachine::on_pbx_back() {
    if (phase_ == Phase::idle) return {};
    backoff_.reset();
    return start();
}

RegistrationStep RegistrationMachine::fail(std::string detail) {
    phase_ = Phase::retry_wait;
    detail_ = std::move(detail);
    return {RegistrationStep::Action::retry_later, backoff_.next()};
}

std::string describe_failure(const RegistrationResponse& response, const std::string& target) {
    const int status = response.status;
    if (!response.from_pbx) {
        // The stack answers for the PBX when nothing came back.
        // Sofia drops a TLS connection whose certificate it refuses without failing the request on it.
        if (status == 408 && target.ends_with(" over TLS"))
            return "408 no answer from PBX over TLS (is its certificate signed by SIP_TLS_CA?)";
        if (status == 408) return "408 no answer from PBX";
        // nta's phrase when no transport of the stack can carry the request (TLS without SIP_TLS_CERT).
        if (status == 503 && response.phrase == "No transport")
            return "503 no transport for " + target +
                   " in the SIP stack (TLS needs SIP_TLS_CERT and SIP_TLS_KEY)";
        if (status == 503) return "503 PBX unreachable at " + target;
        if (status >= 900) return "SIP stack error: " + std::string(response.phrase);
        return status_text(response) + " (no response from PBX)";
    }
    switch (status) {
        case 401:
        case 403:
        case 407:
            return status_text(response) + ": wrong password?";
        case 404:
            return status_text(response) + ": unknown user at the PBX?";
        case 408:
            return status_text(response) + ": the PBX timed out";
        default:
            return status_text(response);
    }
}

std::optional<std::string> credentials_problem(const config::SipUser& user) {
    // The stack takes credentials as "scheme:realm:user:password" and stops at the next colon.
    if (user.username.find(':') != std::string::npos)
        return "the login contains ':' which SIP digest cannot carry";
    if (user.password.find(':') != std::string::npos)
        return "the password contains ':' which this SIP stack cannot send";
    return std::nullopt;
}

}  // namespace ff::sip
