// The life of one line's registration, without any SIP: what to do after each response, and what to report.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/service_config.hpp"
#include "sip/lines/backoff.hpp"

namespace ff::sip {

// A final or provisional answer to our REGISTER, as the SIP stack reports it.
struct RegistrationResponse {
    int status = 0;
    std::string_view phrase;
    bool from_pbx = false;  // a response came from the PBX; false: the stack made it up (timeout, transport)
};

// What the line's SIP handle must do next.
struct RegistrationStep {
    enum class Action {
        none,           // wait for the next response (or for the stack's own refresh)
        send_register,  // REGISTER from a fresh handle
        authenticate,   // answer the digest challenge with the line's credentials
        retry_later,    // wait `delay`, then call on_retry_due()
    };
    Action action = Action::none;
    std::chrono::milliseconds delay{0};
};

class RegistrationMachine {
  public:
    enum class Phase { idle, registering, registered, retry_wait };

    // `target` names the registrar in the details shown to people ("127.0.0.1:5060 over UDP");
    // `cannot_authenticate` says why a challenge cannot be answered with these credentials, if so.
    RegistrationMachine(std::string target, BackoffPolicy backoff,
                        std::optional<std::string> cannot_authenticate,
                        std::uint32_t seed = std::random_device{}());

    RegistrationStep start();
    RegistrationStep on_response(const RegistrationResponse& response);
    RegistrationStep on_retry_due();
    // A problem on our side (no handle, an unusable challenge): the line fails and retries like any failure.
    RegistrationStep on_local_error(std::string detail);
    // The PBX stopped answering its probes: the registration is taken as lost at once, not at the next
    // refresh minutes later (a restarted PBX forgets it), and retried like any failure.
    RegistrationStep on_pbx_lost(std::string detail);
    // The PBX answers again: register at once, whatever the phase, with the backoff started afresh.
    RegistrationStep on_pbx_back();

    Phase phase() const { return phase_; }
    bool registered() const { return phase_ == Phase::registered; }
    // For the settings page: "registered at ...", or why the line is down ("403 Forbidden: wrong password?").
    const std::string& detail() const { return detail_; }
    int failures() const { return backoff_.failures(); }

  private:
    RegistrationStep fail(std::string detail);

    std::string target_;
    std::optional<std::string> cannot_authenticate_;
    Backoff backoff_;
    Phase phase_ = Phase::idle;
    std::string detail_ = "not registered yet";
    // Challenges answered since the last success: a second one means the PBX refused our credentials,
    // and answering it again would only loop.
    int challenges_answered_ = 0;
};

// The detail a failed REGISTER gives the line: the status, and the likely cause in words. `target` is the
// registrar as describe_registrar() names it.
std::string describe_failure(const RegistrationResponse& response, const std::string& target);

// Why these credentials cannot be sent in a digest answer at all, if they cannot.
std::optional<std::string> credentials_problem(const config::SipUser& user);

}  // namespace ff::sip
