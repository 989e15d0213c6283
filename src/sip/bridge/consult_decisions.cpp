// Attended transfer, decided: the customer is put on hold (music with rtpengine) and the operator's phone
// calls the target; once it answers, the phone talks with the target. Complete joins the customer and the
// target: a number's leg is a dialog at the PBX, which is asked first to join the two itself (REFER with
// Replaces, RFC 3891), every leg of ours then ending; a PBX that will not, and an operator's phone, are
// joined here (the target's answer to a re-INVITE carrying the customer's SDP decides); cancel, the target refusing,
// not answering or hanging up bring the operator back to the customer. The operator hanging up while talking
// with the target completes the transfer; while it still rings, it ends the call.
#include "sip/bridge/bridge_decisions.hpp"
#include "sip/bridge/decision_helpers.hpp"

namespace ff::sip {
namespace {

using calls::EndReason;
using calls::ErrorCode;
using Action = BridgeAction;
using Kind = BridgeEvent::Kind;
using namespace decisions;

BridgeDecision on_consult_command(BridgeState& state, const BridgeEvent& event) {
    if (state.phase != BridgePhase::talking || state.pending != PendingCommand::none || state.transferring ||
        !event.both_legs)
        return refusal(ErrorCode::invalid_state, "only a call in conversation can be transferred");
    if (event.target_is_line && !event.target_has_phone)
        return refusal(ErrorCode::unavailable, "the transfer target has no phone registered");
    if (!event.media_ok) return refusal(ErrorCode::internal, "the call's media description cannot be changed");
    state.transferring = true;
    state.transfer_to_phone = event.target_is_line;
    state.consult = ConsultPhase::ringing;
    return actions({Action::send_hold, Action::report_consult_started, Action::call_consult_target});
}

// Back to the customer: the consultation is over without a transfer.
BridgeDecision consultation_over(BridgeState& state, std::initializer_list<Action> first) {
    state.consult = ConsultPhase::none;
    state.transferring = false;
    state.held = false;
    BridgeDecision decision = actions(first);
    add(decision, {Action::back_to_customer, Action::report_transfer_failed});
    return decision;
}

// The target's answer: to our INVITE while it rings, or to the re-INVITE that joins it with the customer.
BridgeDecision on_consulted_answer(BridgeState& state, const BridgeEvent& event) {
    if (event.status < 200) return {};
    const bool ok = success_answer(event.status);
    if (state.consult == ConsultPhase::ringing) {
        if (!ok) return consultation_over(state, {Action::release_target, Action::stop_timer});
        state.consult = ConsultPhase::talking;
        return actions({Action::stop_timer, Action::phone_to_target, Action::report_consult_answered});
    }
    if (state.consult != ConsultPhase::joining) return {};
    state.pending = PendingCommand::none;
    if (!ok) {
        if (!event.both_legs) {  // the operator has gone already: nobody to bring back
            BridgeDecision decision = end_with(EndReason::failed);
            decision.actions.insert(decision.actions.begin(), Action::refuse_pending);
            decision.error = ErrorCode::unavailable;
            decision.message = "the transfer target refused to be joined with the customer";
            return decision;
        }
        BridgeDecision decision = consultation_over(state, {Action::release_target, Action::refuse_pending});
        decision.error = ErrorCode::unavailable;
        decision.message = "the transfer target refused to be joined with the customer: " +
                           std::to_string(event.status) + " " + event.phrase;
        return decision;
    }
    state.consult = ConsultPhase::none;
    state.transferring = false;
    state.held = false;
    BridgeDecision decision = actions({Action::target_becomes_phone, Action::complete_pending});
    if (state.transfer_to_phone) {
        add(decision, {Action::take_target_line, Action::report_reoffered, Action::report_answered});
        return decision;
    }
    // A number through the PBX: the call leaves the operators, its media and its end still pass here.
    add(decision, {Action::end});
    decision.reason = EndReason::transferred;
    return decision;
}

BridgeDecision join_with_target(BridgeState& state) {
    state.consult = ConsultPhase::joining;
    state.pending = PendingCommand::join;
    return actions({Action::join_target});
}

// The PBX joined the customer and the target: the call ends transferred, every leg of ours with it.
BridgeDecision joined_by_the_pbx(BridgeState& state) {
    state.referring_replaces = false;
    state.consult = ConsultPhase::none;
    state.transferring = false;
    state.pending = PendingCommand::none;
    BridgeDecision decision = actions({Action::complete_pending, Action::end});
    decision.reason = EndReason::transferred;
    return decision;
}

// The PBX's answer to the REFER with Replaces, then its NOTIFYs: joined there (the call ends transferred,
// our legs with it), or refused (joined here after all).
BridgeDecision on_replaces_progress(BridgeState& state, const BridgeEvent& event) {
    if (event.status < 200) return {};
    if (event.kind == Kind::refer_answer && success_answer(event.status)) return {};  // 202: NOTIFYs follow
    state.referring_replaces = false;
    if (event.kind == Kind::refer_notify && success_answer(event.status)) return joined_by_the_pbx(state);
    return actions({Action::join_target});
}

}  // namespace

std::optional<BridgeDecision> decide_consultation(BridgeState& state, const BridgeEvent& event) {
    if (event.kind == Kind::consult_command) return on_consult_command(state, event);
    if (state.consult == ConsultPhase::none) {
        if (event.kind == Kind::complete_command || event.kind == Kind::cancel_command)
            return refusal(ErrorCode::invalid_state, "the call has no attended transfer under way");
        return std::nullopt;
    }
    switch (event.kind) {
        case Kind::answer:
            if (event.leg != BridgeLeg::target) return std::nullopt;
            return on_consulted_answer(state, event);
        case Kind::target_ring_timeout:
        case Kind::target_unreachable:
            if (state.consult != ConsultPhase::ringing) return BridgeDecision{};
            return consultation_over(state, {Action::release_target});
        case Kind::complete_command:
            if (state.consult == ConsultPhase::ringing)
                return refusal(ErrorCode::invalid_state, "the transfer target has not answered yet");
            if (state.consult == ConsultPhase::joining)
                return refusal(ErrorCode::invalid_state, "the transfer is being completed");
            {
                BridgeDecision decision = join_with_target(state);
                decision.actions.insert(decision.actions.begin(), Action::keep_pending_done);
                if (!state.transfer_to_phone) {  // a number at the PBX: the PBX is asked to join them first
                    state.referring_replaces = true;
                    decision.actions.back() = Action::refer_replaces;
                }
                return decision;
            }
        case Kind::refer_answer:
        case Kind::refer_notify:
            if (!state.referring_replaces) return BridgeDecision{};
            return on_replaces_progress(state, event);
        case Kind::cancel_command:
            if (state.consult == ConsultPhase::joining)
                return refusal(ErrorCode::invalid_state, "the transfer is being completed");
            return consultation_over(state, {Action::release_target, Action::stop_timer});
        case Kind::bye:
        case Kind::gone:
            // Asked to join them, the PBX ends the dialogs it replaced, possibly before its NOTIFY says so.
            if (state.referring_replaces && event.leg == BridgeLeg::target) return BridgeDecision{};
            if (state.referring_replaces && event.leg == BridgeLeg::customer) return joined_by_the_pbx(state);
            if (event.leg == BridgeLeg::target) {
                if (state.consult == ConsultPhase::talking) return consultation_over(state, {Action::release_target});
                if (state.consult == ConsultPhase::joining) {
                    state.pending = PendingCommand::none;
                    BridgeDecision decision = consultation_over(state, {Action::release_target, Action::refuse_pending});
                    decision.error = ErrorCode::unavailable;
                    decision.message = "the transfer target hung up";
                    return decision;
                }
                return BridgeDecision{};
            }
            if (event.leg == BridgeLeg::phone) {
                // The operator hung up: talking with the target, that hands the customer over to it.
                if (state.consult == ConsultPhase::talking) return join_with_target(state);
                if (state.consult == ConsultPhase::joining) return BridgeDecision{};
            }
            return std::nullopt;  // the customer hung up: the call ends (the target with it)
        case Kind::reinvite:
            // The legs' media are not each other's during a consultation: nothing is relayed.
            if (event.leg == BridgeLeg::customer || event.leg == BridgeLeg::phone)
                return actions({Action::answer_reinvite_locally});
            return BridgeDecision{};
        case Kind::hold_command:
        case Kind::unhold_command:
        case Kind::transfer_command:
            return refusal(ErrorCode::invalid_state, "an attended transfer is under way; complete or cancel it first");
        default:
            return std::nullopt;
    }
}

}  // namespace ff::sip
