// What a bridge does about each thing its legs, its timers and the API tell it, without any SIP: a small
// state (flow, phase, pending command, flags) and decide(state, event) -> actions. The Bridge carries the
// events in from Sofia-SIP and the actions out to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::sip {

enum class BridgeFlow { inbound, from_phone, click_to_call };
enum class BridgePhase { admitting, ringing, connecting, talking, ending };
// A change under way whose outcome waits for a leg's answer.
enum class PendingCommand { none, answer, hold, unhold, relay, join };
// An attended transfer: the target rings, talks with the operator, or is being joined with the customer.
enum class ConsultPhase { none, ringing, talking, joining };

struct BridgeState {
    BridgeFlow flow = BridgeFlow::inbound;
    BridgePhase phase = BridgePhase::admitting;
    PendingCommand pending = PendingCommand::none;
    bool admitted = false;      // the call exists in the registry
    bool reported_end = false;  // its end is reported (or will be, once admitted)
    bool rang = false;          // ringing was reported
    bool held = false;
    bool detached = false;           // the call left the service (transfer) but its legs still run through it
    bool transferring = false;       // a transfer was asked and has no outcome yet
    bool transfer_to_phone = false;  // ... to an operator's phone (else to a number through the PBX)
    ConsultPhase consult = ConsultPhase::none;  // an attended transfer (consultation) under way
    bool referring_replaces = false;  // ... completed by a REFER with Replaces to the PBX, its outcome awaited
    // Inbound late offer: the PBX's INVITE had no SDP, so the phone was rung without one, its 200's offer
    // goes to the PBX in ours, and the PBX answers in its ACK, which the phone's 200 waits for.
    bool late_offer = false;
    bool awaiting_ack_answer = false;  // our 200 to the PBX offered; its ACK brings the answer
    bool early_media_to_phone = false;  // click-to-call: the waiting phone got the customer's early media
    // Inbound to a queue's line: the caller waits in the service's queue; the phones rung are the members it
    // offers the caller to (`offered` while an offer rings).
    bool queued = false;
    bool offered = false;
    // With music (MEDIA=rtpengine and MOH_FILE, the PBX's offer in its INVITE): the caller is answered at once
    // and hears the music while waiting; the member who takes the call is joined through rtpengine.
    bool music_while_queued = false;
    bool caller_answered = false;
    calls::EndReason deferred_end = calls::EndReason::none;  // ended before the call existed
};

// The legs as the decisions tell them apart: the customer's (through the PBX), the operator's phone that is
// on, a phone still ringing (a fork), a transfer target while it rings.
enum class BridgeLeg { customer, phone, fork, target };

struct BridgeEvent {
    enum class Kind {
        admitted,            // the call model created the call (ok), or could not (!ok)
        no_phone_rung,       // ringing the operator's phones made no leg at all
        answer,              // a leg's answer to our INVITE or re-INVITE: `status`
        reinvite,            // a leg sends a re-INVITE or an UPDATE (`is_update`, `has_offer`, `offer_holds`)
        ack,                 // a leg's ACK to our 200: `has_offer` (it carries SDP, an answer), `sdp_changed`
        bye,                 // a leg hung up
        cancel,              // a leg cancelled its INVITE
        gone,                // a leg's dialog ended without BYE (or after the call was detached)
        probe_failed,        // in-dialog OPTIONS say the leg's far end is gone
        phone_ring_timeout,  // the operator's phone did not pick up in time (click-to-call)
        customer_ring_timeout,
        refer_answer,  // the PBX's answer to our REFER: `status`
        refer_notify,  // a NOTIFY about our REFER, its sipfrag's `status` (0: none)
        target_ring_timeout,
        target_unreachable,    // no leg could be made to the transfer target
        customer_unreachable,  // no leg could be made to the customer
        // Commands from the API.
        answer_command,
        hangup_command,
        hold_command,  // `media_ok`: the SDP could be turned to hold (or back)
        unhold_command,
        transfer_command,  // `target_is_line`, `target_has_phone`
        consult_command,   // attended transfer: `target_is_line`, `target_has_phone`, `media_ok`
        complete_command,  // ... join the customer and the target
        cancel_command,    // ... back to the customer
        // The queue (sip/queues/queue_router.hpp).
        queue_offer,         // ring these members for the waiting caller
        queue_ring_timeout,  // the members offered did not pick up within the queue's ring time
        queue_overdue,       // the caller waited the queue's maximum wait
    };
    Kind kind = Kind::answer;
    BridgeLeg leg = BridgeLeg::customer;
    int status = 0;
    std::string phrase;             // with `status`, when a refusal names it
    bool ok = true;                 // admitted
    bool phones_registered = true;  // admitted: the extension has a phone here
    bool last_fork = false;         // answer from a fork: no other fork rings and no phone is on
    bool leg_answered = false;      // reinvite: the leg's dialog was set up; target_ring_timeout: it answered
    bool both_legs = true;          // customer and phone legs both exist
    bool has_customer = true;       // the customer's leg exists
    bool has_target = false;        // a transfer target's leg exists
    bool has_offer = false;         // reinvite: the re-INVITE carries SDP; ack: the ACK does
    bool is_update = false;         // reinvite: an UPDATE (RFC 3311), not a re-INVITE
    bool sdp_changed = false;       // ack: its SDP differs from what the leg sent before
    bool offer_holds = false;       // reinvite: that SDP puts the call on hold
    bool answers_relay = false;     // answer: it comes from the leg a relayed re-INVITE was sent to
    bool has_sdp = false;           // answer: it carries SDP (a 183's early media, say)
    bool media_ok = true;           // hold_command, unhold_command
    bool target_is_line = false;    // transfer_command: the target is an operator of the service
    bool target_has_phone = false;  // ... with a phone registered here
    bool phone_is_pbx_leg = false;  // the leg in the phone's place goes through the PBX (a number took over)
};

enum class BridgeAction {
    // Admission and ringing.
    refuse_dial,    // the click-to-call request fails with the decision's error
    complete_dial,  // the click-to-call request succeeds with the call
    release_all,    // every leg is let go
    ring_phones,    // fork the INVITE to the extension's phones
    ring_phones_auto_answer,
    cancel_forks,  // the phones still ringing stop
    arm_phone_ring_timer,
    arm_customer_ring_timer,
    stop_timer,
    start_probes,
    call_customer,  // INVITE the customer through the PBX (the phone's offer); arms its ring timer
    // Answers from the legs.
    ringing_to_customer,   // 180 to the PBX
    provisional_to_phone,  // the customer's provisional answer (`status`, early media) to the phone
    drop_fork,             // a fork that answered with an error is let go
    fork_becomes_phone,    // the fork that answered is the call's phone; the others are cancelled
    answer_customer,       // 200 to the PBX with the phone's SDP
    offer_to_customer,     // late offer: 200 to the PBX with the phone's offer (answer in the PBX's ACK)
    ack_phone,             // late offer: ACK the phone's 200 with the PBX's answer (a black hole without one)
    answer_phone,          // 200 to the phone with the customer's SDP
    reinvite_phone,        // the phone gets the customer's SDP (it leaves the black hole; early media too)
    park_phone,            // ACK the phone's offer with a black hole (RFC 3725 flow IV)
    release_phone,         // with `status`
    release_customer,
    hang_up_legs,  // after a detached call: the customer's and the phone's legs both end
    // Re-INVITEs.
    relay_reinvite,           // pass the offer to the other leg; its answer comes back later
    answer_reinvite_locally,  // 200 with what is agreed (a refresh, or another change under way)
    relay_answer,             // the other leg's 200 and SDP back to the leg that asked
    relay_failure,            // the other leg's refusal (`status`) back to the leg that asked
    relay_ack_answer,  // an ACK's answer that changed the leg's media (after an offerless re-INVITE) goes to
                       // the other leg as a re-INVITE; its answer is not sent anywhere
    send_hold,                // re-INVITE both legs to hold
    send_unhold,
    // Transfer.
    refer_to_pbx,
    call_target_phone,   // INVITE the target operator's phone with the customer's SDP; arms its ring timer
    call_target_number,  // the same through the PBX, the PBX having refused REFER
    release_target,
    target_becomes_phone,  // the customer gets the target's SDP, the operator's phone is let go
    take_target_line,      // the call now belongs to the target operator's extension
    // Attended transfer (send_hold puts the customer on hold first).
    call_consult_target,    // INVITE the target (an operator's phone or a number) with the operator phone's SDP
    phone_to_target,        // re-INVITE the operator's phone with the target's SDP: they talk
    join_target,            // re-INVITE the target with the customer's SDP; its answer joins the two
    refer_replaces,         // REFER the customer's leg to the target's dialog (Replaces): the PBX joins them
    back_to_customer,       // the operator's phone and the customer talk again (no music, both sendrecv)
    report_consult_started,
    report_consult_answered,
    // The queue.
    join_queue,            // the caller waits for a member
    answer_caller_with_music,  // 200 to the PBX with rtpengine's side, the music played to the caller
    connect_member,        // the member's answer reaches rtpengine, the music stops (the caller was answered)
    offer_to_members,      // the call is the member's while it rings (one member), or stays the queue's
    arm_queue_ring_timer,  // the queue's ring time per offer
    queue_offer_failed,    // the members offered did not take the call: the queue offers it again
    queue_answered,        // a member took it: the call is that member's
    leave_queue,           // the queue forgets the caller (its offer came too late)
    // The call model.
    report_ringing,
    report_answered,
    report_held,
    report_unheld,
    report_transfer_started,
    report_transfer_failed,
    report_reoffered,
    keep_pending_done,  // the command's completion waits for the outcome
    complete_pending,   // the report that follows carries the pending command's completion
    refuse_pending,     // the pending command fails with the decision's error
    refuse,             // the command fails at once with the decision's error
    end,                // end the call with `reason` (see plan_end)
};

struct BridgeDecision {
    std::vector<BridgeAction> actions;
    calls::EndReason reason = calls::EndReason::none;  // with end
    int status = 0;  // with release_phone, provisional_to_phone, relay_failure
    calls::ErrorCode error = calls::ErrorCode::invalid_state;  // with refuse, refuse_pending, refuse_dial
    std::string message;

    bool has(BridgeAction action) const;
};

// Changes `state` and says what the bridge must do.
BridgeDecision decide(BridgeState& state, const BridgeEvent& event);

// An attended transfer's share of decide(): its command, and while it runs, what the target, the phone and the
// commands mean for it (consult_decisions.cpp). Nothing: the event means what it means otherwise.
std::optional<BridgeDecision> decide_consultation(BridgeState& state, const BridgeEvent& event);

// What ending the call with `reason` does to the legs and to the report.
struct EndPlan {
    bool already_ended = false;   // only the caller's completion is answered, with the call as it is
    bool refuse_pending = false;  // a command waiting for a leg fails ("the call ended")
    bool detach = false;          // the customer and a number we called keep talking through us
    int customer_refusal = 480;   // what the customer's leg hears if it never got an answer
    bool deferred = false;        // not reported yet: the call does not exist yet, reported once it does
    bool arm_give_up = false;     // legs that never confirm their end are dropped after a grace time
};
EndPlan plan_end(BridgeState& state, calls::EndReason reason, bool phone_is_pbx_leg);

// Why a call that never connected ended, from the far end's final response.
calls::EndReason unanswered_reason(int status);

}  // namespace ff::sip
