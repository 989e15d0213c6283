// What the API asks of a call (answer, hangup, hold, transfer), and how a transfer then runs.
#include <sofia-sip/sip_status.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "sip/bridge/bridge.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/bridge/sdp_rewrite.hpp"

namespace ff::sip {
namespace {

using calls::EndReason;

// The status line a NOTIFY about a REFER carries ("SIP/2.0 200 OK"); 0 when it is not one.
int sipfrag_status(const sip_t* sip) {
    if (sip == nullptr || sip->sip_payload == nullptr) return 0;
    const std::string_view body(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    constexpr std::string_view prefix = "SIP/2.0 ";
    if (body.substr(0, prefix.size()) != prefix || body.size() < prefix.size() + 3) return 0;
    int status = 0;
    for (char digit : body.substr(prefix.size(), 3)) {
        if (digit < '0' || digit > '9') return 0;
        status = status * 10 + (digit - '0');
    }
    return status;
}

// What a phone may transfer to: an extension or a number, digits with an optional leading '+'.
bool is_dialable(std::string_view target) {
    if (target.starts_with('+')) target.remove_prefix(1);
    if (target.empty() || target.size() > 32) return false;
    return std::all_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// ---- transfer ---------------------------------------------------------------------------------------------

void Bridge::on_refer_progress(const NuaEvent& event) {
    if (phase_ != Phase::talking || transfer_target_.empty() || target_) return;
    if (event.event == nua_r_refer) {
        if (event.status < 200 || is_success(event.status)) return;
        spdlog::info("call {}: the PBX refused REFER ({}); calling {} ourselves", call_.id, event.status,
                     transfer_target_);
        transfer_by_new_leg(customer_uri(transfer_target_), false);
        return;
    }
    const int status = sipfrag_status(event.sip);
    if (status < 200) return;
    if (is_success(status)) {
        spdlog::info("call {}: transferred to {} by the PBX", call_.id, transfer_target_);
        end(EndReason::transferred);
        return;
    }
    spdlog::info("call {}: the transfer to {} failed ({})", call_.id, transfer_target_, status);
    transfer_target_.clear();
    report(calls::transition::TransferFailed{});
}

// A blind transfer pressed on the operator's phone: REFER on the phone's dialog, which the stack has already
// accepted (202). It runs as a transfer asked through the API does; once it succeeds the phone's dialog is
// ended (BYE), which also ends the REFER's subscription; when it fails the call stays with the operator.
void Bridge::on_phone_refer(const NuaEvent& event) {
    const sip_refer_to_t* refer_to = event.sip != nullptr ? event.sip->sip_refer_to : nullptr;
    const char* user = refer_to != nullptr ? refer_to->r_url->url_user : nullptr;
    const std::string target = user != nullptr ? user : "";
    if (!is_dialable(target)) {
        spdlog::info("call {}: the operator's phone asked to transfer to \"{}\", which is not a number; ignored",
                     call_.id, target);
        return;
    }
    spdlog::info("call {}: the operator's phone transfers the call to {}", call_.id, target);
    transfer(target, [call_id = call_.id, target](calls::Result<calls::Call> started) {
        if (!started)
            spdlog::info("call {}: the transfer to {} from the phone was refused: {}", call_id, target,
                         started.error().message);
    });
}

void Bridge::transfer_by_new_leg(const std::string& uri, bool to_phone) {
    transfer_to_phone_ = to_phone;
    const std::string caller = call_.remote_number();
    const std::string from =
        to_phone ? "\"" + caller + "\" <sip:" + caller + "@pjsip-service.invalid>" : line_uri();
    target_ = new_leg(to_phone ? CallLeg::Side::phone : CallLeg::Side::pbx, uri, from);
    if (!target_) {
        transfer_target_.clear();
        report(calls::transition::TransferFailed{});
        return;
    }
    target_->invite(customer_->remote_sdp());
    arm_timer(context_.options.phone_ring_timeout, [this] {
        if (!target_ || target_->answered()) return;
        release(target_);
        transfer_target_.clear();
        report(calls::transition::TransferFailed{});
    });
}

void Bridge::on_target_event(CallLeg& target, const NuaEvent& event) {
    if (event.event != nua_r_invite || event.status < 200) return;
    if (!is_success(event.status)) {
        spdlog::info("call {}: transfer target {} answered {}", call_.id, transfer_target_, event.status);
        release(target_);
        transfer_target_.clear();
        su_timer_reset(timer_);
        report(calls::transition::TransferFailed{});
        return;
    }
    su_timer_reset(timer_);
    // The customer now talks to the target; the operator's phone is let go.
    customer_->invite(target.remote_sdp());
    release(phone_);
    phone_ = std::move(target_);
    if (transfer_to_phone_) {
        line_ = context_.line(transfer_target_).value_or(line_);
        call_.extension = transfer_target_;
        report(calls::transition::Reoffered{transfer_target_, calls::now_ms()});
        report(calls::transition::Answered{calls::now_ms()});  // talking again, now with the new operator
        transfer_target_.clear();
        return;
    }
    // To an outside number through our own leg: the call is no longer the operator's, but its media
    // and its end still pass here.
    end(EndReason::transferred);
}

// ---- commands
// ----------------------------------------------------------------------------------------------

void Bridge::answer(Completion done) {
    if (flow_ != Flow::inbound || phase_ != Phase::ringing || pending_ != Pending::none)
        return refuse(done, calls::ErrorCode::invalid_state, "the call is not ringing at the operator");
    // Ring again, this time telling the phone to pick up by itself.
    for (auto& fork : forks_) release(fork);
    forks_.clear();
    pending_ = Pending::answer;
    pending_done_ = std::move(done);
    ring_phones(true);
}

void Bridge::hangup(Completion done) {
    if (reported_end_ || phase_ == Phase::admitting)
        return refuse(done, calls::ErrorCode::invalid_state, "the call is being set up or already ending");
    EndReason reason = EndReason::completed;
    if (phase_ != Phase::talking)
        reason = flow_ == Flow::inbound ? EndReason::rejected : EndReason::cancelled;
    end(reason, std::move(done));
}

void Bridge::hold(Completion done) {
    if (phase_ != Phase::talking || held_ || pending_ != Pending::none || !phone_ || !customer_)
        return refuse(done, calls::ErrorCode::invalid_state,
                      "only a call in conversation can be put on hold");
    const auto to_customer = with_direction(phone_->remote_sdp(), MediaDirection::sendonly);
    const auto to_phone = with_direction(customer_->remote_sdp(), MediaDirection::inactive);
    if (!to_customer || !to_phone)
        return refuse(done, calls::ErrorCode::internal, "the call's media description cannot be changed");
    pending_ = Pending::hold;
    pending_done_ = std::move(done);
    customer_->invite(*to_customer);
    phone_->invite(*to_phone);
}

void Bridge::unhold(Completion done) {
    if (phase_ != Phase::talking || !held_ || pending_ != Pending::none || !phone_ || !customer_)
        return refuse(done, calls::ErrorCode::invalid_state, "the call is not on hold");
    const auto to_customer = with_direction(phone_->remote_sdp(), MediaDirection::sendrecv);
    const auto to_phone = with_direction(customer_->remote_sdp(), MediaDirection::sendrecv);
    if (!to_customer || !to_phone)
        return refuse(done, calls::ErrorCode::internal, "the call's media description cannot be changed");
    pending_ = Pending::unhold;
    pending_done_ = std::move(done);
    customer_->invite(*to_customer);
    phone_->invite(*to_phone);
}

void Bridge::transfer(const std::string& target, Completion done) {
    if (phase_ != Phase::talking || pending_ != Pending::none || !transfer_target_.empty() || !customer_)
        return refuse(done, calls::ErrorCode::invalid_state,
                      "only a call in conversation can be transferred");
    transfer_target_ = target;
    report(calls::transition::TransferStarted{target}, std::move(done));
    if (context_.line(target)) {
        const auto contacts = context_.phones.contacts(target);
        if (contacts.empty()) {
            spdlog::info("call {}: transfer target {} has no phone registered", call_.id, target);
            transfer_target_.clear();
            report(calls::transition::TransferFailed{});
            return;
        }
        transfer_by_new_leg(contacts.front().uri, true);
        return;
    }
    customer_->refer(customer_uri(target));
}

}  // namespace ff::sip
