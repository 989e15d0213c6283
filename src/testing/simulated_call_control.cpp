// TEST-ONLY. What the real engine will do through SIP happens here in one step on the registry.
#include "testing/simulated_call_control.hpp"

#include "config/live_settings.hpp"

namespace ff::testing {

SimulatedCallControl::SimulatedCallControl(sip::TelephonyContext& telephony) : telephony_(telephony) {}

calls::EndReason hangup_reason(const calls::Call& call) {
    if (call.status == calls::CallStatus::ringing)
        return call.direction == calls::Direction::inbound ? calls::EndReason::rejected
                                                           : calls::EndReason::cancelled;
    return calls::EndReason::completed;
}

void SimulatedCallControl::dial(calls::DialRequest request, Completion done) {
    calls::Call call;
    call.direction = calls::Direction::outbound;
    call.from = request.extension;
    call.to = request.destination;
    call.extension = request.extension;
    done(telephony_.registry.create(std::move(call)));
}

void SimulatedCallControl::answer(std::string call_id, Completion done) {
    done(telephony_.registry.apply(call_id, calls::transition::Answered{calls::now_ms()}));
}

void SimulatedCallControl::hangup(std::string call_id, Completion done) {
    const auto call = telephony_.registry.find(call_id);
    if (!call) return done(calls::make_error(calls::ErrorCode::not_found, "no active call " + call_id));
    done(telephony_.registry.apply(call_id, calls::transition::Ended{hangup_reason(*call), calls::now_ms()}));
}

void SimulatedCallControl::hold(std::string call_id, Completion done) {
    done(telephony_.registry.apply(call_id, calls::transition::Held{}));
}

void SimulatedCallControl::unhold(std::string call_id, Completion done) {
    done(telephony_.registry.apply(call_id, calls::transition::Unheld{}));
}

// To an operator of this service the call is re-offered to that operator (who has answered already after a
// consultation; a blind transfer leaves the call ringing there); anything else leaves us.
calls::Result<calls::Call> SimulatedCallControl::hand_over(const std::string& call_id, const std::string& target,
                                                           bool answered) {
    if (telephony_.settings.find_user(target)) {
        auto moved = telephony_.registry.apply(call_id, calls::transition::Reoffered{target, calls::now_ms()});
        if (!moved || !answered) return moved;
        return telephony_.registry.apply(call_id, calls::transition::Answered{calls::now_ms()});
    }
    return telephony_.registry.apply(call_id, calls::transition::Ended{calls::EndReason::transferred, calls::now_ms()});
}

void SimulatedCallControl::transfer(std::string call_id, std::string target, Completion done) {
    auto started = telephony_.registry.apply(call_id, calls::transition::TransferStarted{target});
    if (!started) return done(std::move(started));
    done(hand_over(call_id, target, false));
}

void SimulatedCallControl::consult(std::string call_id, std::string target, Completion done) {
    auto started = telephony_.registry.apply(call_id, calls::transition::ConsultStarted{target, calls::now_ms()});
    if (!started) return done(std::move(started));
    done(telephony_.registry.apply(call_id, calls::transition::ConsultAnswered{calls::now_ms()}));
}

void SimulatedCallControl::settle_transfer(std::string call_id, bool complete, Completion done) {
    const auto call = telephony_.registry.find(call_id);
    if (!call || !call->consultation)
        return done(calls::make_error(calls::ErrorCode::invalid_state, "call " + call_id + " has no consultation"));
    if (!complete) return done(telephony_.registry.apply(call_id, calls::transition::TransferFailed{}));
    done(hand_over(call_id, call->consultation->target, true));
}

calls::TelephonyStatus SimulatedCallControl::status() const {
    calls::TelephonyStatus status;
    {
        std::lock_guard lock(mutex_);
        status.connected = connected_;
        status.registered_users = registered_users_;
    }
    for (const auto& user : telephony_.settings.users()) {
        calls::LineState line;
        line.extension = user.extension;
        line.username = user.username;
        line.display_name = user.display_name;
        line.registered = status.connected;
        line.device_registered = status.connected;
        line.detail = status.connected ? "registered (simulated)" : "not registered (simulated)";
        status.lines.push_back(std::move(line));
    }
    return status;
}

calls::TelephonyStatus SimulatedCallControl::set_status(bool connected, int registered_users) {
    {
        std::lock_guard lock(mutex_);
        connected_ = connected;
        registered_users_ = registered_users;
    }
    return status();
}

}  // namespace ff::testing
