// TEST-ONLY. A stand-in for the SIP engine: every command is applied to the call registry at once, as if
// the PBX and the phones had answered immediately. Linked only into pjsip-service-simulated-sip.
#pragma once

#include <mutex>

#include "app/service.hpp"
#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "calls/event_bus.hpp"

namespace ff::testing {

class SimulatedCallControl final : public calls::CallControl {
  public:
    explicit SimulatedCallControl(sip::TelephonyContext& telephony);

    void dial(calls::DialRequest request, Completion done) override;
    void answer(std::string call_id, Completion done) override;
    void hangup(std::string call_id, Completion done) override;
    void hold(std::string call_id, Completion done) override;
    void unhold(std::string call_id, Completion done) override;
    void transfer(std::string call_id, std::string target, Completion done) override;
    // The target picks up at once; completing moves the call as a blind transfer does.
    void consult(std::string call_id, std::string target, Completion done) override;
    void settle_transfer(std::string call_id, bool complete, Completion done) override;

    calls::TelephonyStatus status() const override;
    // What /health and the settings page report from now on; every configured line gets `connected`.
    calls::TelephonyStatus set_status(bool connected, int registered_users);

    sip::TelephonyContext& telephony() { return telephony_; }

  private:
    calls::Result<calls::Call> hand_over(const std::string& call_id, const std::string& target, bool answered);

    sip::TelephonyContext& telephony_;
    mutable std::mutex mutex_;
    bool connected_ = false;
    int registered_users_ = 0;
};

// The end reason a hangup gives a call in its present state.
calls::EndReason hangup_reason(const calls::Call& call);

}  // namespace ff::testing
