// What the API asks of a call (answer, hangup, hold, transfer), and how a transfer then runs: each command
// becomes a decision event; the checks and outcomes live in bridge_decisions.cpp.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "sip/bridge/bridge.hpp"
#include "sip/bridge/sdp_rewrite.hpp"
#include "sip/phones/device_registrar.hpp"

namespace ff::sip {
namespace {

// What a phone may transfer to: an extension or a number, digits with an optional leading '+'.
bool is_dialable(std::string_view target) {
    if (target.starts_with('+')) target.remove_prefix(1);
    if (target.empty() || target.size() > 32) return false;
    return std::all_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// ---- transfer ---------------------------------------------------------------------------------------------

// A blind transfer pressed on the operator's phone: REFER on the phone's dialog, which the stack has already
// accepted (202). It runs as a transfer asked through the API does; once it succeeds the phone's dialog is
// ended (BYE), which also ends the REFER's subscription; when it fails the call stays with the operator.
void Bridge::on_phone_refer(const NuaEvent& event) {
    const sip_refer_to_t* refer_to = event.sip != nullptr ? event.sip->sip_refer_to : nullptr;
    const char* user = refer_to != nullptr ? refer_to->r_url->url_user : nullptr;
    const std::string target = user != nullptr ? user : "";
    if (!is_dialable(target)) {
        spdlog::info(
            "call {}: the operator's phone asked to transfer to \"{}\", which is not a number; ignored",
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

bool Bridge::ring_target(const std::string& uri, bool to_phone, const std::string& from) {
    target_ = new_leg(to_phone ? CallLeg::Side::phone : CallLeg::Side::pbx, uri, from);
    if (!target_) {
        handle(leg_event(BridgeEvent::Kind::target_unreachable, BridgeLeg::target));
        return false;
    }
    arm_timer(context_.options.phone_ring_timeout, [this] {
        if (!target_) return;
        BridgeEvent timeout = leg_event(BridgeEvent::Kind::target_ring_timeout, BridgeLeg::target);
        timeout.leg_answered = target_->answered();
        handle(timeout, Carry(target_.get()));
    });
    return true;
}

// Blind: the target is offered the customer's media at once and shown the customer's number.
void Bridge::transfer_by_new_leg(const std::string& uri, bool to_phone) {
    const std::string caller = call_.remote_number();
    const std::string from =
        to_phone ? "\"" + caller + "\" <sip:" + caller + "@pjsip-service.invalid>" : line_uri();
    if (!ring_target(uri, to_phone, from)) return;
    media_->offer(MediaParty::customer, customer_->remote_sdp(), [this](const std::string& sdp) {
        if (target_) target_->invite(sdp);
    });
}

// Attended: the target is offered the operator's phone's media (they talk first) and shown the operator. Its
// media pass between the two phones directly, not through rtpengine: the customer is not in that conversation.
void Bridge::consult_by_new_leg() {
    const bool to_phone = state_.transfer_to_phone;
    const std::string uri =
        to_phone ? context_.phones.contacts(transfer_target_).front().uri : customer_uri(transfer_target_);
    const std::string& name = line_.user.display_name.empty() ? line_.extension() : line_.user.display_name;
    const std::string from =
        to_phone ? "\"" + name + "\" <sip:" + line_.extension() + "@pjsip-service.invalid>" : line_uri();
    spdlog::info("call {}: the operator consults {} before transferring the call", call_.id, transfer_target_);
    if (!ring_target(uri, to_phone, from)) return;
    target_->invite(two_way(phone_->remote_sdp()));
}

// ---- commands
// ----------------------------------------------------------------------------------------------

void Bridge::answer(Completion done) {
    Carry carry;
    carry.done = std::move(done);
    handle(leg_event(BridgeEvent::Kind::answer_command, BridgeLeg::phone), std::move(carry));
}

void Bridge::hangup(Completion done) {
    Carry carry;
    carry.done = std::move(done);
    handle(leg_event(BridgeEvent::Kind::hangup_command, BridgeLeg::phone), std::move(carry));
}

void Bridge::hold(Completion done) {
    BridgeEvent command = leg_event(BridgeEvent::Kind::hold_command, BridgeLeg::phone);
    command.media_ok = phone_ && customer_ &&
                       with_direction(phone_->remote_sdp(), MediaDirection::sendonly) &&
                       with_direction(customer_->remote_sdp(), MediaDirection::inactive);
    Carry carry;
    carry.done = std::move(done);
    handle(command, std::move(carry));
}

void Bridge::unhold(Completion done) {
    BridgeEvent command = leg_event(BridgeEvent::Kind::unhold_command, BridgeLeg::phone);
    command.media_ok = phone_ && customer_ &&
                       with_direction(phone_->remote_sdp(), MediaDirection::sendrecv) &&
                       with_direction(customer_->remote_sdp(), MediaDirection::sendrecv);
    Carry carry;
    carry.done = std::move(done);
    handle(command, std::move(carry));
}

void Bridge::transfer(const std::string& target, Completion done) {
    BridgeEvent command = leg_event(BridgeEvent::Kind::transfer_command, BridgeLeg::customer);
    command.target_is_line = context_.line(target).has_value();
    command.target_has_phone = command.target_is_line && !context_.phones.contacts(target).empty();
    Carry carry;
    carry.done = std::move(done);
    carry.transfer_target = target;
    if (handle(command, std::move(carry)).has(BridgeAction::report_transfer_failed))
        spdlog::info("call {}: transfer target {} has no phone registered", call_.id, target);
}

void Bridge::consult(const std::string& target, Completion done) {
    BridgeEvent command = leg_event(BridgeEvent::Kind::consult_command, BridgeLeg::customer);
    command.target_is_line = context_.line(target).has_value();
    command.target_has_phone = command.target_is_line && !context_.phones.contacts(target).empty();
    command.media_ok = phone_ && customer_ && with_direction(phone_->remote_sdp(), MediaDirection::inactive) &&
                       with_direction(customer_->remote_sdp(), MediaDirection::sendrecv);
    Carry carry;
    carry.done = std::move(done);
    carry.transfer_target = target;
    handle(command, std::move(carry));
}

void Bridge::settle_transfer(bool complete, Completion done) {
    Carry carry;
    carry.done = std::move(done);
    const auto kind = complete ? BridgeEvent::Kind::complete_command : BridgeEvent::Kind::cancel_command;
    const BridgeDecision decision = handle(leg_event(kind, BridgeLeg::customer), std::move(carry));
    if (decision.has(BridgeAction::join_target))
        spdlog::info("call {}: the operator joins the customer with {}", call_.id, transfer_target_);
    if (decision.has(BridgeAction::back_to_customer))
        spdlog::info("call {}: the operator cancelled the transfer to {}", call_.id, transfer_target_);
}

void Bridge::queue_offer(std::vector<std::string> members) {
    if (!state_.offered) members_rung_ = std::move(members);
    BridgeEvent event = leg_event(BridgeEvent::Kind::queue_offer, BridgeLeg::fork);
    handle(event);
}

// A queued caller answered to hear the music: rtpengine gets the caller's offer (what the members' phones will
// be offered) and, for the operators' side, an answer that sends nothing anywhere, so that its own side towards
// the caller exists; the caller gets that side in our 200 and the music is played into it.
void Bridge::answer_with_music() {
    media_->offer(MediaParty::customer, customer_->remote_sdp(), [this](const std::string& offer) {
        phones_offer_ = offer;
        const std::string nowhere = two_way(black_hole_answer(offer).value_or(offer));
        media_->answer(MediaParty::customer, nowhere, [this](const std::string& answer) {
            if (!customer_ || ended()) return;
            // rtpengine answers the address of nowhere with its own hold (0.0.0.0): the caller gets its real
            // address (the one its side towards the phones has), so that it sends and hears the music. Should
            // rtpengine have failed the call, the caller waits in silence until a member's answer reaches it.
            customer_->respond(200, media_->anchored() ? two_way(with_address_of(answer, *phones_offer_)) : answer);
            media_->start_music(MediaParty::customer);
            spdlog::info("call {}: the caller waits in queue {} hearing the music", call_.id, queue_);
            if (state_.offered && forks_.empty() && !phone_) ring_phones(false);  // offered meanwhile
        });
    });
}

void Bridge::queue_overdue(const std::string& overflow_number) {
    if (state_.phase != BridgePhase::ringing) return;
    spdlog::info("call {}: waited the longest queue {} allows; {}", call_.id, queue_,
                 overflow_number.empty() ? std::string("let go") : "sent on to " + overflow_number);
    // The PBX takes the caller on to the overflow number (302, or REFER once the caller was answered to hear
    // the music); the call ends unanswered here.
    if (!overflow_number.empty() && customer_ && !customer_->answered()) {
        customer_->redirect(customer_uri(overflow_number));
        released_.push_back(std::move(customer_));
    } else if (!overflow_number.empty() && customer_) {
        customer_->refer(customer_uri(overflow_number));
    }
    handle(leg_event(BridgeEvent::Kind::queue_overdue, BridgeLeg::customer));
}

}  // namespace ff::sip
