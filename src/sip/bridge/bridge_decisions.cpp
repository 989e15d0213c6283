// The bridge's decisions: each flow's and phase's meaning of a leg's answer, BYE, CANCEL and re-INVITE, the
// commands' outcomes, and the reason a call ends with.
#include "sip/bridge/bridge_decisions.hpp"

#include <algorithm>

#include "sip/bridge/decision_helpers.hpp"

namespace ff::sip {
namespace {

using calls::EndReason;
using calls::ErrorCode;
using Action = BridgeAction;
using Kind = BridgeEvent::Kind;
using namespace decisions;

// The operator's phones never came on: no phone rang, or every one refused (`status`, 0 when none rang).
BridgeDecision phones_failed(BridgeState& state, int status) {
    if (state.flow != BridgeFlow::inbound) return end_with(EndReason::cancelled);  // click-to-call
    const EndReason reason = status == 0 ? EndReason::missed : unanswered_reason(status);
    BridgeDecision decision;
    if (state.pending == PendingCommand::answer)
        decision =
            refusal(ErrorCode::unavailable, "the operator's phone did not pick up", Action::refuse_pending);
    state.pending = PendingCommand::none;
    add(decision, {Action::end});
    decision.reason = reason == EndReason::failed ? EndReason::missed : reason;
    return decision;
}

// The members offered a queued caller did not take the call: the caller waits again, and an answer asked
// of the API meanwhile fails.
BridgeDecision queue_offer_failed(BridgeState& state, std::initializer_list<Action> first) {
    state.offered = false;
    BridgeDecision decision;
    if (state.pending == PendingCommand::answer)
        decision = refusal(ErrorCode::unavailable, "the queue member's phone did not pick up", Action::refuse_pending);
    state.pending = PendingCommand::none;
    decision.actions.insert(decision.actions.begin(), first);
    add(decision, {Action::stop_timer, Action::queue_offer_failed});
    return decision;
}

BridgeDecision on_admitted(BridgeState& state, const BridgeEvent& event) {
    if (!event.ok) {
        state.reported_end = true;
        return actions({Action::refuse_dial, Action::release_all});
    }
    state.admitted = true;
    if (state.deferred_end != EndReason::none) {  // ended while the caller was looked up
        state.reported_end = false;
        return end_with(state.deferred_end);
    }
    state.phase = BridgePhase::ringing;
    switch (state.flow) {
        case BridgeFlow::inbound:
            if (state.queued) {  // the caller hears ringing, or the music, while waiting for a member
                state.rang = true;
                state.caller_answered = state.music_while_queued;
                return actions({state.music_while_queued ? Action::answer_caller_with_music : Action::ringing_to_customer,
                                Action::join_queue});
            }
            if (!event.phones_registered) return end_with(EndReason::missed);
            return actions({Action::ring_phones});
        case BridgeFlow::from_phone:
            state.phase = BridgePhase::connecting;
            return actions({Action::call_customer});
        case BridgeFlow::click_to_call:
            return actions({Action::complete_dial, Action::ring_phones, Action::arm_phone_ring_timer});
    }
    return {};
}

BridgeDecision on_fork_answer(BridgeState& state, const BridgeEvent& event) {
    if (provisional_answer(event.status) && event.status < 190) {
        if (state.flow == BridgeFlow::inbound && !state.rang) {
            state.rang = true;
            return actions({Action::ringing_to_customer, Action::report_ringing});
        }
        return {};
    }
    if (event.status < 200) return {};
    if (!success_answer(event.status)) {
        BridgeDecision decision = actions({Action::drop_fork});
        if (!event.last_fork) return decision;
        if (state.queued) return queue_offer_failed(state, {Action::drop_fork});
        BridgeDecision failed = phones_failed(state, event.status);
        failed.actions.insert(failed.actions.begin(), Action::drop_fork);
        return failed;
    }
    // This phone picked up: the others stop ringing.
    if (state.flow == BridgeFlow::inbound) {
        state.phase = BridgePhase::talking;
        // Late offer: the phone's 200 is an offer, so ours to the PBX is one too; the answer comes in its ACK.
        state.awaiting_ack_answer = state.late_offer;
        BridgeDecision decision = actions(
            {Action::fork_becomes_phone, state.caller_answered ? Action::connect_member
                                         : state.late_offer    ? Action::offer_to_customer
                                                               : Action::answer_customer});
        if (state.queued) {
            state.offered = false;
            add(decision, {Action::stop_timer, Action::queue_answered});
        }
        if (state.pending == PendingCommand::answer) {
            add(decision, {Action::complete_pending});
            state.pending = PendingCommand::none;
        }
        add(decision, {Action::report_answered, Action::start_probes});
        return decision;
    }
    // Click-to-call: the operator is on; the phone is parked and the customer called with its offer.
    state.phase = BridgePhase::connecting;
    return actions({Action::fork_becomes_phone, Action::park_phone, Action::call_customer});
}

// The far end's answer to a re-INVITE while the call is on: a relayed one, or the PBX's to hold/unhold.
BridgeDecision on_reinvite_answered(BridgeState& state, const BridgeEvent& event) {
    if (event.status < 200) return {};
    const bool ok = success_answer(event.status);
    switch (state.pending) {
        case PendingCommand::relay: {
            BridgeDecision decision;
            if (event.answers_relay) {
                decision = actions({ok ? Action::relay_answer : Action::relay_failure});
                decision.status = event.status;
            }
            state.pending = PendingCommand::none;
            return decision;
        }
        case PendingCommand::hold:
        case PendingCommand::unhold: {
            if (event.leg != BridgeLeg::customer) return {};  // the customer's answer decides
            const bool hold = state.pending == PendingCommand::hold;
            state.pending = PendingCommand::none;
            if (!ok)
                return refusal(
                    ErrorCode::unavailable,
                    "the PBX refused the re-INVITE: " + std::to_string(event.status) + " " + event.phrase,
                    Action::refuse_pending);
            state.held = hold;
            return actions({Action::complete_pending, hold ? Action::report_held : Action::report_unheld});
        }
        default:
            return {};
    }
}

BridgeDecision on_customer_answer(BridgeState& state, const BridgeEvent& event) {
    if (state.phase == BridgePhase::talking) return on_reinvite_answered(state, event);
    if (state.phase != BridgePhase::connecting) return {};
    if (provisional_answer(event.status)) {
        BridgeDecision decision;
        if (state.flow == BridgeFlow::from_phone && event.both_legs) {
            add(decision, {Action::provisional_to_phone});
            decision.status = event.status;
        }
        // Click-to-call: the operator's phone waits in its black hole; the customer's side's early media (the
        // PBX's ringback or an announcement) takes it out early, once, so the operator hears it.
        if (state.flow == BridgeFlow::click_to_call && event.has_sdp && event.both_legs &&
            !state.early_media_to_phone) {
            state.early_media_to_phone = true;
            add(decision, {Action::reinvite_phone});
        }
        if (!state.rang && event.status < 190) {
            state.rang = true;
            add(decision, {Action::report_ringing});
        }
        return decision;
    }
    if (!success_answer(event.status)) {
        BridgeDecision decision;
        if (state.flow == BridgeFlow::from_phone) {
            add(decision, {Action::release_phone});
            decision.status = event.status;
        }
        add(decision, {Action::release_customer, Action::end});
        decision.reason = unanswered_reason(event.status);
        return decision;
    }
    state.phase = BridgePhase::talking;
    return actions({Action::stop_timer,
                    state.flow == BridgeFlow::from_phone ? Action::answer_phone : Action::reinvite_phone,
                    Action::report_answered, Action::start_probes});
}

// A re-INVITE from one leg: passed to the other, unless it carries nothing or another change is under way.
BridgeDecision relay(BridgeState& state, const BridgeEvent& event) {
    if (!event.has_offer || state.pending != PendingCommand::none)
        return actions({Action::answer_reinvite_locally});
    state.pending = PendingCommand::relay;
    return actions({Action::relay_reinvite});
}

BridgeDecision on_reinvite(BridgeState& state, const BridgeEvent& event) {
    if (event.leg == BridgeLeg::customer) {
        if (event.leg_answered && event.both_legs) return relay(state, event);
        // A caller answered to wait with the music: nobody to relay to yet.
        if (event.leg_answered && state.caller_answered) return actions({Action::answer_reinvite_locally});
        return {};
    }
    if (event.leg != BridgeLeg::phone || !event.leg_answered || !event.both_legs ||
        state.phase != BridgePhase::talking)
        return {};
    BridgeDecision decision = relay(state, event);
    if (event.offer_holds != state.held) {
        state.held = event.offer_holds;
        add(decision, {state.held ? Action::report_held : Action::report_unheld});
    }
    return decision;
}

// An ACK to our 200. After a late offer it carries the PBX's answer, which the phone's 200 still waits for;
// without one nobody can hear anybody, so the phone gets a black hole and the call ends. After an offerless
// re-INVITE answered here it carries the answer to what we offered: when that differs from what the leg
// sent before (its media moved, say), the other leg is told with a re-INVITE of its own.
BridgeDecision on_ack(BridgeState& state, const BridgeEvent& event) {
    if (event.leg == BridgeLeg::customer && state.awaiting_ack_answer) {
        state.awaiting_ack_answer = false;
        if (event.has_offer) return actions({Action::ack_phone});
        BridgeDecision decision = actions({Action::ack_phone, Action::end});
        decision.reason = EndReason::failed;
        return decision;
    }
    if (event.leg != BridgeLeg::customer && event.leg != BridgeLeg::phone) return {};
    if (state.phase != BridgePhase::talking || !event.both_legs || !event.has_offer || !event.sdp_changed ||
        state.pending != PendingCommand::none)
        return {};
    state.pending = PendingCommand::relay;
    return actions({Action::relay_ack_answer});
}

BridgeDecision on_refer_progress(BridgeState& state, const BridgeEvent& event) {
    if (state.phase != BridgePhase::talking || !state.transferring || event.has_target) return {};
    if (event.kind == Kind::refer_answer) {
        if (event.status < 200 || success_answer(event.status)) return {};
        state.transfer_to_phone = false;
        return actions({Action::call_target_number});
    }
    if (event.status < 200) return {};
    if (success_answer(event.status)) return end_with(EndReason::transferred);
    state.transferring = false;
    return actions({Action::report_transfer_failed});
}

BridgeDecision on_target_answer(BridgeState& state, const BridgeEvent& event) {
    if (event.status < 200) return {};
    if (!success_answer(event.status)) {
        state.transferring = false;
        return actions({Action::release_target, Action::stop_timer, Action::report_transfer_failed});
    }
    BridgeDecision decision = actions({Action::stop_timer, Action::target_becomes_phone});
    if (state.transfer_to_phone) {
        state.transferring = false;
        add(decision, {Action::take_target_line, Action::report_reoffered, Action::report_answered});
        return decision;
    }
    // To an outside number through our own leg: the call is no longer the operator's, but its media and its
    // end still pass here.
    add(decision, {Action::end});
    decision.reason = EndReason::transferred;
    return decision;
}

BridgeDecision on_leg_gone(BridgeState& state, const BridgeEvent& event) {
    // Legs already let go end on their own; only the two that carry the call matter.
    if (event.leg != BridgeLeg::customer && event.leg != BridgeLeg::phone) return {};
    if (state.detached) return actions({Action::hang_up_legs});
    if (state.reported_end) return {};
    return end_with(state.phase == BridgePhase::talking ? EndReason::failed : EndReason::missed);
}

BridgeDecision on_hold_command(BridgeState& state, const BridgeEvent& event, bool hold) {
    if (state.phase != BridgePhase::talking || state.held == hold || state.pending != PendingCommand::none ||
        !event.both_legs)
        return refusal(ErrorCode::invalid_state,
                       hold ? "only a call in conversation can be put on hold" : "the call is not on hold");
    if (!event.media_ok)
        return refusal(ErrorCode::internal, "the call's media description cannot be changed");
    state.pending = hold ? PendingCommand::hold : PendingCommand::unhold;
    return actions({Action::keep_pending_done, hold ? Action::send_hold : Action::send_unhold});
}

BridgeDecision on_transfer_command(BridgeState& state, const BridgeEvent& event) {
    if (state.phase != BridgePhase::talking || state.pending != PendingCommand::none || state.transferring ||
        !event.has_customer)
        return refusal(ErrorCode::invalid_state, "only a call in conversation can be transferred");
    state.transferring = true;
    if (!event.target_is_line) return actions({Action::report_transfer_started, Action::refer_to_pbx});
    if (!event.target_has_phone) {
        state.transferring = false;
        return actions({Action::report_transfer_started, Action::report_transfer_failed});
    }
    state.transfer_to_phone = true;
    return actions({Action::report_transfer_started, Action::call_target_phone});
}

}  // namespace

bool BridgeDecision::has(BridgeAction action) const {
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

EndReason unanswered_reason(int status) {
    switch (status) {
        case 486:
        case 600:
            return EndReason::busy;
        case 403:
        case 603:
            return EndReason::rejected;
        case 408:
        case 480:
        case 487:
            return EndReason::missed;
        default:
            return EndReason::failed;
    }
}

BridgeDecision decide(BridgeState& state, const BridgeEvent& event) {
    if (auto consultation = decide_consultation(state, event)) return std::move(*consultation);
    switch (event.kind) {
        case Kind::admitted:
            return on_admitted(state, event);
        case Kind::no_phone_rung:
            if (state.queued) return queue_offer_failed(state, {});
            return phones_failed(state, 0);
        case Kind::queue_offer:
            if (state.offered) return {};  // one offer at a time
            if (!state.queued || state.phase != BridgePhase::ringing || state.reported_end)
                return actions({Action::leave_queue});  // not a caller waiting any more
            state.offered = true;
            return actions({Action::offer_to_members, Action::ring_phones, Action::arm_queue_ring_timer});
        case Kind::queue_ring_timeout:
            if (!state.offered || state.phase != BridgePhase::ringing) return {};
            return queue_offer_failed(state, {Action::cancel_forks});
        case Kind::queue_overdue:
            if (state.phase != BridgePhase::ringing) return {};
            return end_with(EndReason::missed);
        case Kind::answer:
            switch (event.leg) {
                case BridgeLeg::fork:
                    return on_fork_answer(state, event);
                case BridgeLeg::customer:
                    return on_customer_answer(state, event);
                case BridgeLeg::phone:
                    if (state.phase == BridgePhase::talking) return on_reinvite_answered(state, event);
                    return {};
                case BridgeLeg::target:
                    return on_target_answer(state, event);
            }
            return {};
        case Kind::reinvite:
            return on_reinvite(state, event);
        case Kind::ack:
            return on_ack(state, event);
        case Kind::bye:
            if (event.leg == BridgeLeg::customer)
                return end_with(state.phase == BridgePhase::talking ? EndReason::completed
                                                                    : EndReason::missed);
            if (event.leg == BridgeLeg::phone)
                return end_with(state.phase == BridgePhase::talking ? EndReason::completed
                                                                    : EndReason::cancelled);
            return {};
        case Kind::cancel:
            // The caller hung up before anyone answered (inbound), or the operator gave up dialling.
            if (event.leg == BridgeLeg::customer) return end_with(EndReason::missed);
            if (event.leg == BridgeLeg::phone) return end_with(EndReason::cancelled);
            return {};
        case Kind::gone:
            return on_leg_gone(state, event);
        case Kind::probe_failed:
            if (event.leg == BridgeLeg::customer || event.leg == BridgeLeg::phone)
                return end_with(EndReason::failed);
            return {};
        case Kind::phone_ring_timeout:
            if (state.phase == BridgePhase::ringing) return end_with(EndReason::cancelled);
            return {};
        case Kind::customer_ring_timeout:
            if (state.phase == BridgePhase::connecting) return end_with(EndReason::missed);
            return {};
        case Kind::refer_answer:
        case Kind::refer_notify:
            return on_refer_progress(state, event);
        case Kind::target_ring_timeout:
            if (event.leg_answered) return {};
            state.transferring = false;
            return actions({Action::release_target, Action::report_transfer_failed});
        case Kind::customer_unreachable:
            return end_with(EndReason::failed);
        case Kind::target_unreachable:
            state.transferring = false;
            return actions({Action::report_transfer_failed});
        case Kind::answer_command:
            if (state.flow != BridgeFlow::inbound || state.phase != BridgePhase::ringing ||
                state.pending != PendingCommand::none)
                return refusal(ErrorCode::invalid_state, "the call is not ringing at the operator");
            if (state.queued && !state.offered)
                return refusal(ErrorCode::invalid_state, "the caller waits in the queue for a free member");
            // Ring again, this time telling the phone to pick up by itself.
            state.pending = PendingCommand::answer;
            return actions(
                {Action::cancel_forks, Action::keep_pending_done, Action::ring_phones_auto_answer});
        case Kind::hangup_command: {
            if (state.reported_end || state.phase == BridgePhase::admitting)
                return refusal(ErrorCode::invalid_state, "the call is being set up or already ending");
            EndReason reason = EndReason::completed;
            if (state.phase != BridgePhase::talking)
                reason = state.flow == BridgeFlow::inbound ? EndReason::rejected : EndReason::cancelled;
            return end_with(reason);
        }
        case Kind::hold_command:
            return on_hold_command(state, event, true);
        case Kind::unhold_command:
            return on_hold_command(state, event, false);
        case Kind::transfer_command:
            return on_transfer_command(state, event);
        case Kind::consult_command:
        case Kind::complete_command:
        case Kind::cancel_command:
            return {};  // decide_consultation() answers them all
    }
    return {};
}

EndPlan plan_end(BridgeState& state, EndReason reason, bool phone_is_pbx_leg) {
    EndPlan plan;
    if (state.reported_end) {
        plan.already_ended = true;
        return plan;
    }
    state.reported_end = true;
    state.phase = BridgePhase::ending;
    plan.refuse_pending = state.pending != PendingCommand::none;
    state.pending = PendingCommand::none;
    if (reason == EndReason::transferred && phone_is_pbx_leg) {
        plan.detach = true;
        state.detached = true;
    } else if (reason == EndReason::busy) {
        plan.customer_refusal = 486;
    } else if (reason == EndReason::rejected) {
        plan.customer_refusal = 603;
    }
    if (!state.admitted) {
        state.deferred_end = reason;
        state.reported_end = false;  // reported once the call exists
        plan.deferred = true;
        return plan;
    }
    plan.arm_give_up = !state.detached;
    return plan;
}

}  // namespace ff::sip
