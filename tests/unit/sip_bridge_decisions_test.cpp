// The bridge's decisions without SIP: what each leg's answer, BYE and CANCEL means in each flow (inbound, from
// the phone, click-to-call) and phase, the answer and hangup commands, and which reason a call ends with.
#include <gtest/gtest.h>

#include "sip/bridge/bridge_decisions.hpp"
#include "support/bridge_events.hpp"

using namespace ff::sip;
using namespace ff::testing::bridge;
using ff::calls::EndReason;
using ff::calls::ErrorCode;
using Action = BridgeAction;

// ---- inbound
// ------------------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, inbound_call_admitted_rings_the_operators_phones) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(state.phase, BridgePhase::ringing);
    BridgeState again;
    EXPECT_EQ(decide(again, event(Kind::admitted)).actions, Actions{Action::ring_phones});
}

TEST(SipBridgeDecisions, inbound_call_to_an_extension_without_phones_ends_missed) {
    BridgeState state;
    BridgeEvent created = event(Kind::admitted);
    created.phones_registered = false;
    const auto decision = decide(state, created);
    EXPECT_EQ(decision.actions, Actions{Action::end});
    EXPECT_EQ(decision.reason, EndReason::missed);
}

TEST(SipBridgeDecisions, inbound_first_ringing_phone_is_relayed_once) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, fork_answer(180, false)).actions,
              (Actions{Action::ringing_to_customer, Action::report_ringing}));
    EXPECT_TRUE(state.rang);
    EXPECT_TRUE(decide(state, fork_answer(183, false)).actions.empty());
}

TEST(SipBridgeDecisions, inbound_phone_picking_up_answers_the_pbx_and_starts_talking) {
    BridgeState state = admitted(BridgeFlow::inbound);
    const auto decision = decide(state, fork_answer(200, true));
    EXPECT_EQ(decision.actions, (Actions{Action::fork_becomes_phone, Action::answer_customer,
                                         Action::report_answered, Action::start_probes}));
    EXPECT_EQ(state.phase, BridgePhase::talking);
}

TEST(SipBridgeDecisions, inbound_late_offer_the_phones_offer_goes_to_the_pbx_in_our_200) {
    BridgeState state = admitted(BridgeFlow::inbound);
    state.late_offer = true;
    const auto decision = decide(state, fork_answer(200, true));
    EXPECT_EQ(decision.actions, (Actions{Action::fork_becomes_phone, Action::offer_to_customer,
                                         Action::report_answered, Action::start_probes}));
    EXPECT_TRUE(state.awaiting_ack_answer);
}

TEST(SipBridgeDecisions, inbound_late_offer_the_pbxs_ack_answers_the_phone) {
    BridgeState state = admitted(BridgeFlow::inbound);
    state.late_offer = true;
    decide(state, fork_answer(200, true));
    BridgeEvent ack = event(Kind::ack, BridgeLeg::customer);
    ack.has_offer = true;
    ack.sdp_changed = true;
    EXPECT_EQ(decide(state, ack).actions, Actions{Action::ack_phone});
    EXPECT_FALSE(state.awaiting_ack_answer);
    EXPECT_EQ(state.pending, PendingCommand::none);
    // A later ACK (to an offerless re-INVITE answered here) is no longer the phone's answer.
    EXPECT_EQ(decide(state, ack).actions, Actions{Action::relay_ack_answer});
}

TEST(SipBridgeDecisions, inbound_late_offer_an_ack_without_answer_ends_the_call_failed) {
    BridgeState state = admitted(BridgeFlow::inbound);
    state.late_offer = true;
    decide(state, fork_answer(200, true));
    const auto decision = decide(state, event(Kind::ack, BridgeLeg::customer));
    EXPECT_EQ(decision.actions, (Actions{Action::ack_phone, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::failed);
}

TEST(SipBridgeDecisions, inbound_early_offer_answers_the_pbx_and_waits_for_no_answer) {
    BridgeState state = admitted(BridgeFlow::inbound);
    decide(state, fork_answer(200, true));
    EXPECT_FALSE(state.awaiting_ack_answer);
    EXPECT_TRUE(decide(state, event(Kind::ack, BridgeLeg::customer)).actions.empty());
}

TEST(SipBridgeDecisions, inbound_one_phone_declining_while_others_ring_only_drops_it) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, fork_answer(603, false)).actions, Actions{Action::drop_fork});
    EXPECT_EQ(state.phase, BridgePhase::ringing);
}

TEST(SipBridgeDecisions, inbound_every_phone_busy_ends_busy) {
    BridgeState state = admitted(BridgeFlow::inbound);
    const auto decision = decide(state, fork_answer(486, true));
    EXPECT_EQ(decision.actions, (Actions{Action::drop_fork, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::busy);
}

TEST(SipBridgeDecisions, inbound_last_phone_declining_ends_rejected) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, fork_answer(603, true)).reason, EndReason::rejected);
}

TEST(SipBridgeDecisions, inbound_last_phone_failing_oddly_ends_missed_not_failed) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, fork_answer(500, true)).reason, EndReason::missed);
}

TEST(SipBridgeDecisions, inbound_no_phone_could_be_rung_ends_missed) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::no_phone_rung, BridgeLeg::fork)).reason, EndReason::missed);
}

TEST(SipBridgeDecisions, inbound_customer_cancels_while_phones_ring_ends_missed) {
    BridgeState state = admitted(BridgeFlow::inbound);
    const auto decision = decide(state, event(Kind::cancel, BridgeLeg::customer));
    EXPECT_EQ(decision.actions, Actions{Action::end});
    EXPECT_EQ(decision.reason, EndReason::missed);
}

TEST(SipBridgeDecisions, inbound_customer_hanging_up_in_conversation_ends_completed) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::customer)).reason, EndReason::completed);
}

TEST(SipBridgeDecisions, operator_hanging_up_in_conversation_ends_completed) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::phone)).reason, EndReason::completed);
}

TEST(SipBridgeDecisions, inbound_hangup_command_while_ringing_rejects_the_call) {
    BridgeState state = admitted(BridgeFlow::inbound);
    const auto decision = decide(state, event(Kind::hangup_command));
    EXPECT_EQ(decision.actions, Actions{Action::end});
    EXPECT_EQ(decision.reason, EndReason::rejected);
}

TEST(SipBridgeDecisions, hangup_command_in_conversation_ends_completed) {
    BridgeState state = talking(BridgeFlow::from_phone);
    EXPECT_EQ(decide(state, event(Kind::hangup_command)).reason, EndReason::completed);
}

TEST(SipBridgeDecisions, hangup_command_while_the_call_is_set_up_is_refused) {
    BridgeState state;
    const auto decision = decide(state, event(Kind::hangup_command));
    EXPECT_EQ(decision.actions, Actions{Action::refuse});
    EXPECT_EQ(decision.error, ErrorCode::invalid_state);
}

// ---- the answer command
// ---------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, answer_command_rings_the_phones_again_with_auto_answer) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::answer_command)).actions,
              (Actions{Action::cancel_forks, Action::keep_pending_done, Action::ring_phones_auto_answer}));
    EXPECT_EQ(state.pending, PendingCommand::answer);
}

TEST(SipBridgeDecisions, answer_command_completes_when_the_phone_picks_up) {
    BridgeState state = admitted(BridgeFlow::inbound);
    decide(state, event(Kind::answer_command));
    const auto decision = decide(state, fork_answer(200, true));
    EXPECT_EQ(decision.actions,
              (Actions{Action::fork_becomes_phone, Action::answer_customer, Action::complete_pending,
                       Action::report_answered, Action::start_probes}));
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, answer_command_fails_when_the_phone_does_not_pick_up) {
    BridgeState state = admitted(BridgeFlow::inbound);
    decide(state, event(Kind::answer_command));
    const auto decision = decide(state, fork_answer(408, true));
    EXPECT_EQ(decision.actions, (Actions{Action::drop_fork, Action::refuse_pending, Action::end}));
    EXPECT_EQ(decision.error, ErrorCode::unavailable);
    EXPECT_EQ(decision.reason, EndReason::missed);
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, answer_command_is_refused_outside_an_inbound_ringing_call) {
    BridgeState outbound = admitted(BridgeFlow::click_to_call);
    EXPECT_EQ(decide(outbound, event(Kind::answer_command)).actions, Actions{Action::refuse});
    BridgeState answered = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(answered, event(Kind::answer_command)).actions, Actions{Action::refuse});
}

// ---- from the phone
// -----------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, call_from_the_phone_admitted_calls_the_customer) {
    BridgeState state;
    state.flow = BridgeFlow::from_phone;
    EXPECT_EQ(decide(state, event(Kind::admitted)).actions, Actions{Action::call_customer});
    EXPECT_EQ(state.phase, BridgePhase::connecting);
}

TEST(SipBridgeDecisions, call_from_the_phone_passes_the_customers_ringing_and_early_media_to_the_phone) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    const auto decision = decide(state, answer(BridgeLeg::customer, 183));
    EXPECT_EQ(decision.actions, (Actions{Action::provisional_to_phone, Action::report_ringing}));
    EXPECT_EQ(decision.status, 183);
}

TEST(SipBridgeDecisions, call_from_the_phone_answered_by_the_customer_answers_the_phone) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    EXPECT_EQ(
        decide(state, answer(BridgeLeg::customer, 200)).actions,
        (Actions{Action::stop_timer, Action::answer_phone, Action::report_answered, Action::start_probes}));
    EXPECT_EQ(state.phase, BridgePhase::talking);
}

TEST(SipBridgeDecisions, call_from_the_phone_to_a_busy_customer_tells_the_phone_and_ends_busy) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    const auto decision = decide(state, answer(BridgeLeg::customer, 486));
    EXPECT_EQ(decision.actions, (Actions{Action::release_phone, Action::release_customer, Action::end}));
    EXPECT_EQ(decision.status, 486);
    EXPECT_EQ(decision.reason, EndReason::busy);
}

TEST(SipBridgeDecisions, call_from_the_phone_cancelled_by_the_operator_ends_cancelled) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    EXPECT_EQ(decide(state, event(Kind::cancel, BridgeLeg::phone)).reason, EndReason::cancelled);
}

TEST(SipBridgeDecisions, customer_not_picking_up_ends_missed) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    EXPECT_EQ(decide(state, event(Kind::customer_ring_timeout)).reason, EndReason::missed);
}

TEST(SipBridgeDecisions, customer_ring_timeout_after_the_answer_does_nothing) {
    BridgeState state = talking(BridgeFlow::from_phone);
    EXPECT_TRUE(decide(state, event(Kind::customer_ring_timeout)).actions.empty());
}

TEST(SipBridgeDecisions, no_leg_to_the_customer_ends_failed) {
    BridgeState state = admitted(BridgeFlow::from_phone);
    EXPECT_EQ(decide(state, event(Kind::customer_unreachable)).reason, EndReason::failed);
}

// ---- click-to-call
// ------------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, click_to_call_admitted_completes_the_request_and_rings_the_phone_with_a_timer) {
    BridgeState state;
    state.flow = BridgeFlow::click_to_call;
    EXPECT_EQ(decide(state, event(Kind::admitted)).actions,
              (Actions{Action::complete_dial, Action::ring_phones, Action::arm_phone_ring_timer}));
}

TEST(SipBridgeDecisions, click_to_call_that_cannot_be_created_refuses_the_request) {
    BridgeState state;
    state.flow = BridgeFlow::click_to_call;
    BridgeEvent created = event(Kind::admitted);
    created.ok = false;
    EXPECT_EQ(decide(state, created).actions, (Actions{Action::refuse_dial, Action::release_all}));
    EXPECT_TRUE(state.reported_end);
}

TEST(SipBridgeDecisions, click_to_call_phone_picking_up_is_parked_and_the_customer_called) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    EXPECT_EQ(decide(state, fork_answer(200, true)).actions,
              (Actions{Action::fork_becomes_phone, Action::park_phone, Action::call_customer}));
    EXPECT_EQ(state.phase, BridgePhase::connecting);
}

TEST(SipBridgeDecisions, click_to_call_phone_ringing_is_not_reported) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    EXPECT_TRUE(decide(state, fork_answer(180, false)).actions.empty());
}

TEST(SipBridgeDecisions, click_to_call_customer_answering_brings_the_phone_out_of_the_black_hole) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    decide(state, fork_answer(200, true));
    EXPECT_EQ(
        decide(state, answer(BridgeLeg::customer, 200)).actions,
        (Actions{Action::stop_timer, Action::reinvite_phone, Action::report_answered, Action::start_probes}));
}

TEST(SipBridgeDecisions, click_to_call_early_media_takes_the_phone_out_of_the_black_hole_once) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    decide(state, fork_answer(200, true));
    BridgeEvent early = answer(BridgeLeg::customer, 183);
    early.has_sdp = true;
    EXPECT_EQ(decide(state, early).actions, (Actions{Action::reinvite_phone, Action::report_ringing}));
    EXPECT_TRUE(decide(state, early).actions.empty());
    EXPECT_EQ(decide(state, answer(BridgeLeg::customer, 200)).actions,
              (Actions{Action::stop_timer, Action::reinvite_phone, Action::report_answered, Action::start_probes}));
}

TEST(SipBridgeDecisions, click_to_call_ringing_without_early_media_leaves_the_phone_waiting) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    decide(state, fork_answer(200, true));
    EXPECT_EQ(decide(state, answer(BridgeLeg::customer, 180)).actions, Actions{Action::report_ringing});
    EXPECT_FALSE(state.early_media_to_phone);
}

TEST(SipBridgeDecisions, click_to_call_customer_declining_ends_rejected_without_touching_the_phone_leg) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    decide(state, fork_answer(200, true));
    const auto decision = decide(state, answer(BridgeLeg::customer, 603));
    EXPECT_EQ(decision.actions, (Actions{Action::release_customer, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::rejected);
}

TEST(SipBridgeDecisions, click_to_call_phone_not_picking_up_ends_cancelled) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    EXPECT_EQ(decide(state, event(Kind::phone_ring_timeout, BridgeLeg::phone)).reason, EndReason::cancelled);
}

TEST(SipBridgeDecisions, click_to_call_phone_declining_ends_cancelled) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    EXPECT_EQ(decide(state, fork_answer(603, true)).reason, EndReason::cancelled);
}

TEST(SipBridgeDecisions, click_to_call_operator_hanging_up_before_the_customer_answers_ends_cancelled) {
    BridgeState state = admitted(BridgeFlow::click_to_call);
    decide(state, fork_answer(200, true));
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::phone)).reason, EndReason::cancelled);
}

// ---- legs that vanish
// -----------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, a_leg_gone_in_conversation_ends_failed) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::gone, BridgeLeg::phone)).reason, EndReason::failed);
}

TEST(SipBridgeDecisions, a_leg_gone_before_the_answer_ends_missed) {
    BridgeState state = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::gone, BridgeLeg::customer)).reason, EndReason::missed);
}

TEST(SipBridgeDecisions, a_leg_gone_after_the_end_was_reported_changes_nothing) {
    BridgeState state = talking(BridgeFlow::inbound);
    state.reported_end = true;
    EXPECT_TRUE(decide(state, event(Kind::gone, BridgeLeg::customer)).actions.empty());
}

TEST(SipBridgeDecisions, probes_finding_the_far_end_gone_end_the_call_failed) {
    BridgeState state = talking(BridgeFlow::from_phone);
    EXPECT_EQ(decide(state, event(Kind::probe_failed, BridgeLeg::customer)).reason, EndReason::failed);
}

TEST(SipBridgeDecisions, a_leg_gone_after_the_call_was_detached_hangs_up_both_legs) {
    BridgeState state = talking(BridgeFlow::inbound);
    state.detached = true;
    state.reported_end = true;
    EXPECT_EQ(decide(state, event(Kind::gone, BridgeLeg::customer)).actions, Actions{Action::hang_up_legs});
}

// ---- ending
// -----------------------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, ending_busy_tells_the_pbx_486) {
    BridgeState state = admitted(BridgeFlow::inbound);
    const EndPlan plan = plan_end(state, EndReason::busy, false);
    EXPECT_EQ(plan.customer_refusal, 486);
    EXPECT_TRUE(plan.arm_give_up);
    EXPECT_TRUE(state.reported_end);
    EXPECT_EQ(state.phase, BridgePhase::ending);
}

TEST(SipBridgeDecisions, ending_rejected_tells_the_pbx_603_and_others_480) {
    BridgeState rejected = admitted(BridgeFlow::inbound);
    EXPECT_EQ(plan_end(rejected, EndReason::rejected, false).customer_refusal, 603);
    BridgeState missed = admitted(BridgeFlow::inbound);
    EXPECT_EQ(plan_end(missed, EndReason::missed, false).customer_refusal, 480);
}

TEST(SipBridgeDecisions, ending_twice_only_answers_the_second_caller) {
    BridgeState state = talking(BridgeFlow::inbound);
    plan_end(state, EndReason::completed, false);
    EXPECT_TRUE(plan_end(state, EndReason::failed, false).already_ended);
}

TEST(SipBridgeDecisions, ending_with_a_command_pending_fails_that_command) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::hold_command));
    EXPECT_TRUE(plan_end(state, EndReason::completed, false).refuse_pending);
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, transferred_to_a_number_we_called_detaches_the_call) {
    BridgeState state = talking(BridgeFlow::inbound);
    const EndPlan plan = plan_end(state, EndReason::transferred, true);
    EXPECT_TRUE(plan.detach);
    EXPECT_FALSE(plan.arm_give_up);
    EXPECT_TRUE(state.detached);
}

TEST(SipBridgeDecisions, ended_before_the_call_exists_is_reported_once_it_does) {
    BridgeState state;
    state.flow = BridgeFlow::inbound;
    EXPECT_EQ(decide(state, event(Kind::cancel, BridgeLeg::customer)).reason, EndReason::missed);
    const EndPlan plan = plan_end(state, EndReason::missed, false);
    EXPECT_TRUE(plan.deferred);
    EXPECT_FALSE(state.reported_end);
    const auto decision = decide(state, event(Kind::admitted));
    EXPECT_EQ(decision.actions, Actions{Action::end});
    EXPECT_EQ(decision.reason, EndReason::missed);
}

TEST(SipBridgeDecisions, unanswered_reason_reads_the_far_ends_final_answer) {
    EXPECT_EQ(unanswered_reason(486), EndReason::busy);
    EXPECT_EQ(unanswered_reason(600), EndReason::busy);
    EXPECT_EQ(unanswered_reason(603), EndReason::rejected);
    EXPECT_EQ(unanswered_reason(403), EndReason::rejected);
    EXPECT_EQ(unanswered_reason(408), EndReason::missed);
    EXPECT_EQ(unanswered_reason(480), EndReason::missed);
    EXPECT_EQ(unanswered_reason(487), EndReason::missed);
    EXPECT_EQ(unanswered_reason(500), EndReason::failed);
    EXPECT_EQ(unanswered_reason(404), EndReason::failed);
}
