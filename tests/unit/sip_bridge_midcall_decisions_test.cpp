// The bridge's decisions without SIP, mid-call: re-INVITEs, UPDATEs and ACK answers relayed between the legs,
// hold and unhold, and transfers to a number or to another operator.
#include <gtest/gtest.h>

#include "sip/bridge/bridge_decisions.hpp"
#include "support/bridge_events.hpp"

using namespace ff::sip;
using namespace ff::testing::bridge;
using ff::calls::EndReason;
using ff::calls::ErrorCode;
using Action = BridgeAction;

// ---- re-INVITEs and hold
// ---------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, phone_putting_the_call_on_hold_is_relayed_and_reported) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, reinvite(BridgeLeg::phone, true)).actions,
              (Actions{Action::relay_reinvite, Action::report_held}));
    EXPECT_TRUE(state.held);
    EXPECT_EQ(state.pending, PendingCommand::relay);
}

TEST(SipBridgeDecisions, relayed_reinvite_answer_goes_back_to_the_leg_that_asked) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, reinvite(BridgeLeg::phone, false));
    BridgeEvent answered = answer(BridgeLeg::customer, 200);
    answered.answers_relay = true;
    EXPECT_EQ(decide(state, answered).actions, Actions{Action::relay_answer});
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, relayed_reinvite_refusal_goes_back_with_its_status) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, reinvite(BridgeLeg::customer, false));
    BridgeEvent refused = answer(BridgeLeg::phone, 488);
    refused.answers_relay = true;
    const auto decision = decide(state, refused);
    EXPECT_EQ(decision.actions, Actions{Action::relay_failure});
    EXPECT_EQ(decision.status, 488);
}

TEST(SipBridgeDecisions, reinvite_without_sdp_is_answered_locally) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent refresh = reinvite(BridgeLeg::customer, false);
    refresh.has_offer = false;
    EXPECT_EQ(decide(state, refresh).actions, Actions{Action::answer_reinvite_locally});
}

TEST(SipBridgeDecisions, update_with_an_offer_is_relayed_like_a_reinvite) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent update = reinvite(BridgeLeg::customer, false);
    update.is_update = true;
    EXPECT_EQ(decide(state, update).actions, Actions{Action::relay_reinvite});
    EXPECT_EQ(state.pending, PendingCommand::relay);
    BridgeEvent answered = answer(BridgeLeg::phone, 200);
    answered.answers_relay = true;
    EXPECT_EQ(decide(state, answered).actions, Actions{Action::relay_answer});
}

TEST(SipBridgeDecisions, update_without_an_offer_is_a_refresh_answered_locally) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent refresh = reinvite(BridgeLeg::customer, false);
    refresh.is_update = true;
    refresh.has_offer = false;
    EXPECT_EQ(decide(state, refresh).actions, Actions{Action::answer_reinvite_locally});
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, update_before_the_call_is_answered_is_left_to_the_bridge) {
    BridgeState state = admitted(BridgeFlow::inbound);
    BridgeEvent early = reinvite(BridgeLeg::customer, false);
    early.is_update = true;
    early.leg_answered = false;
    EXPECT_TRUE(decide(state, early).actions.empty());
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, ack_whose_answer_changed_the_media_is_relayed_to_the_other_leg) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent ack = event(Kind::ack, BridgeLeg::customer);
    ack.has_offer = true;
    ack.sdp_changed = true;
    EXPECT_EQ(decide(state, ack).actions, Actions{Action::relay_ack_answer});
    EXPECT_EQ(state.pending, PendingCommand::relay);
    // The other leg's answer is nobody's to pass on.
    EXPECT_TRUE(decide(state, answer(BridgeLeg::phone, 200)).actions.empty());
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, ack_with_the_same_sdp_or_none_changes_nothing) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent same = event(Kind::ack, BridgeLeg::customer);
    same.has_offer = true;
    EXPECT_TRUE(decide(state, same).actions.empty());
    EXPECT_TRUE(decide(state, event(Kind::ack, BridgeLeg::customer)).actions.empty());
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, ack_whose_answer_changed_during_another_change_is_not_relayed) {
    BridgeState state = talking(BridgeFlow::inbound);
    state.pending = PendingCommand::hold;
    BridgeEvent ack = event(Kind::ack, BridgeLeg::customer);
    ack.has_offer = true;
    ack.sdp_changed = true;
    EXPECT_TRUE(decide(state, ack).actions.empty());
    EXPECT_EQ(state.pending, PendingCommand::hold);
}

TEST(SipBridgeDecisions, reinvite_during_another_change_is_answered_locally) {
    BridgeState state = talking(BridgeFlow::inbound);
    state.pending = PendingCommand::hold;
    EXPECT_EQ(decide(state, reinvite(BridgeLeg::customer, false)).actions,
              Actions{Action::answer_reinvite_locally});
}

TEST(SipBridgeDecisions, hold_command_reinvites_both_legs_and_completes_on_the_pbxs_answer) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::hold_command)).actions,
              (Actions{Action::keep_pending_done, Action::send_hold}));
    EXPECT_TRUE(
        decide(state, answer(BridgeLeg::phone, 200)).actions.empty());  // the customer's answer decides
    EXPECT_EQ(decide(state, answer(BridgeLeg::customer, 200)).actions,
              (Actions{Action::complete_pending, Action::report_held}));
    EXPECT_TRUE(state.held);
}

TEST(SipBridgeDecisions, hold_refused_by_the_pbx_fails_the_command_and_keeps_the_call_unheld) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::hold_command));
    BridgeEvent refused = answer(BridgeLeg::customer, 488);
    refused.phrase = "Not Acceptable Here";
    const auto decision = decide(state, refused);
    EXPECT_EQ(decision.actions, Actions{Action::refuse_pending});
    EXPECT_EQ(decision.error, ErrorCode::unavailable);
    EXPECT_EQ(decision.message, "the PBX refused the re-INVITE: 488 Not Acceptable Here");
    EXPECT_FALSE(state.held);
}

TEST(SipBridgeDecisions, unhold_command_on_a_call_not_held_is_refused) {
    BridgeState state = talking(BridgeFlow::inbound);
    const auto decision = decide(state, event(Kind::unhold_command));
    EXPECT_EQ(decision.actions, Actions{Action::refuse});
    EXPECT_EQ(decision.message, "the call is not on hold");
}

TEST(SipBridgeDecisions, hold_command_with_unchangeable_media_fails_internally) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent command = event(Kind::hold_command);
    command.media_ok = false;
    EXPECT_EQ(decide(state, command).error, ErrorCode::internal);
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeDecisions, unhold_command_on_a_held_call_completes_on_the_pbxs_answer) {
    BridgeState state = talking(BridgeFlow::inbound);
    state.held = true;
    EXPECT_EQ(decide(state, event(Kind::unhold_command)).actions,
              (Actions{Action::keep_pending_done, Action::send_unhold}));
    EXPECT_EQ(decide(state, answer(BridgeLeg::customer, 200)).actions,
              (Actions{Action::complete_pending, Action::report_unheld}));
    EXPECT_FALSE(state.held);
}

// ---- transfer
// -------------------------------------------------------------------------------------------------

TEST(SipBridgeDecisions, transfer_to_a_number_refers_the_pbx) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::transfer_command)).actions,
              (Actions{Action::report_transfer_started, Action::refer_to_pbx}));
    EXPECT_TRUE(state.transferring);
}

TEST(SipBridgeDecisions, transfer_accepted_by_the_pbx_ends_transferred) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::transfer_command));
    EXPECT_EQ(decide(state, event(Kind::refer_notify, BridgeLeg::customer, 100)).actions.size(), 0u);
    EXPECT_EQ(decide(state, event(Kind::refer_notify, BridgeLeg::customer, 200)).reason,
              EndReason::transferred);
}

TEST(SipBridgeDecisions, transfer_failing_at_the_pbx_brings_the_call_back) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::transfer_command));
    EXPECT_EQ(decide(state, event(Kind::refer_notify, BridgeLeg::customer, 486)).actions,
              Actions{Action::report_transfer_failed});
    EXPECT_FALSE(state.transferring);
}

TEST(SipBridgeDecisions, pbx_refusing_refer_gets_a_new_call_to_the_number) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::transfer_command));
    EXPECT_EQ(decide(state, event(Kind::refer_answer, BridgeLeg::customer, 501)).actions,
              Actions{Action::call_target_number});
    BridgeEvent answered = answer(BridgeLeg::target, 200);
    const auto decision = decide(state, answered);
    EXPECT_EQ(decision.actions, (Actions{Action::stop_timer, Action::target_becomes_phone, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::transferred);
}

TEST(SipBridgeDecisions, transfer_to_an_operator_calls_the_phone_and_hands_the_call_over) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent command = event(Kind::transfer_command);
    command.target_is_line = true;
    command.target_has_phone = true;
    EXPECT_EQ(decide(state, command).actions,
              (Actions{Action::report_transfer_started, Action::call_target_phone}));
    EXPECT_EQ(decide(state, answer(BridgeLeg::target, 200)).actions,
              (Actions{Action::stop_timer, Action::target_becomes_phone, Action::take_target_line,
                       Action::report_reoffered, Action::report_answered}));
    EXPECT_FALSE(state.transferring);
    EXPECT_EQ(state.phase, BridgePhase::talking);
}

TEST(SipBridgeDecisions, transfer_to_an_operator_without_a_phone_fails_at_once) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent command = event(Kind::transfer_command);
    command.target_is_line = true;
    EXPECT_EQ(decide(state, command).actions,
              (Actions{Action::report_transfer_started, Action::report_transfer_failed}));
    EXPECT_FALSE(state.transferring);
}

TEST(SipBridgeDecisions, transfer_target_declining_brings_the_call_back) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent command = event(Kind::transfer_command);
    command.target_is_line = true;
    command.target_has_phone = true;
    decide(state, command);
    EXPECT_EQ(decide(state, answer(BridgeLeg::target, 603)).actions,
              (Actions{Action::release_target, Action::stop_timer, Action::report_transfer_failed}));
}

TEST(SipBridgeDecisions, transfer_target_not_picking_up_brings_the_call_back) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::transfer_command));
    EXPECT_EQ(decide(state, event(Kind::target_ring_timeout, BridgeLeg::target)).actions,
              (Actions{Action::release_target, Action::report_transfer_failed}));
}

TEST(SipBridgeDecisions, second_transfer_while_one_runs_is_refused) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, event(Kind::transfer_command));
    EXPECT_EQ(decide(state, event(Kind::transfer_command)).actions, Actions{Action::refuse});
}
