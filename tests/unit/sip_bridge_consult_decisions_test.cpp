// The bridge's decisions without SIP for an attended transfer: the customer held while the operator's phone
// talks with the target, then joined, cancelled, or given up when the target refuses or hangs up.
#include <gtest/gtest.h>

#include "sip/bridge/bridge_decisions.hpp"
#include "support/bridge_events.hpp"

using namespace ff::sip;
using namespace ff::testing::bridge;
using ff::calls::EndReason;
using ff::calls::ErrorCode;
using Action = BridgeAction;

namespace {

BridgeEvent consult_to(bool operator_line) {
    BridgeEvent command = event(Kind::consult_command);
    command.target_is_line = operator_line;
    command.target_has_phone = operator_line;
    return command;
}

// A call whose operator consults `operator_line ? an operator : a number`, which has answered.
BridgeState consulting(bool operator_line = true) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, consult_to(operator_line));
    decide(state, answer(BridgeLeg::target, 200));
    return state;
}

}  // namespace

TEST(SipBridgeConsultDecisions, consulting_holds_the_customer_and_calls_the_target) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, consult_to(true)).actions,
              (Actions{Action::send_hold, Action::report_consult_started, Action::call_consult_target}));
    EXPECT_EQ(state.consult, ConsultPhase::ringing);
    EXPECT_TRUE(state.transferring);
    EXPECT_EQ(decide(state, answer(BridgeLeg::target, 180)).actions.size(), 0u);
    EXPECT_EQ(decide(state, answer(BridgeLeg::target, 200)).actions,
              (Actions{Action::stop_timer, Action::phone_to_target, Action::report_consult_answered}));
    EXPECT_EQ(state.consult, ConsultPhase::talking);
}

TEST(SipBridgeConsultDecisions, an_operator_without_a_phone_or_a_call_not_in_conversation_is_refused) {
    BridgeState state = talking(BridgeFlow::inbound);
    BridgeEvent command = consult_to(true);
    command.target_has_phone = false;
    const auto refused = decide(state, command);
    EXPECT_EQ(refused.actions, Actions{Action::refuse});
    EXPECT_EQ(refused.error, ErrorCode::unavailable);
    EXPECT_EQ(state.consult, ConsultPhase::none);
    BridgeState ringing = admitted(BridgeFlow::inbound);
    EXPECT_EQ(decide(ringing, consult_to(true)).actions, Actions{Action::refuse});
}

TEST(SipBridgeConsultDecisions, complete_joins_the_target_and_hands_the_call_to_that_operator) {
    BridgeState state = consulting();
    EXPECT_EQ(decide(state, event(Kind::complete_command)).actions,
              (Actions{Action::keep_pending_done, Action::join_target}));
    EXPECT_EQ(state.consult, ConsultPhase::joining);
    EXPECT_EQ(decide(state, event(Kind::hold_command)).actions, Actions{Action::refuse});
    EXPECT_EQ(decide(state, answer(BridgeLeg::target, 200)).actions,
              (Actions{Action::target_becomes_phone, Action::complete_pending, Action::take_target_line,
                       Action::report_reoffered, Action::report_answered}));
    EXPECT_EQ(state.consult, ConsultPhase::none);
    EXPECT_FALSE(state.transferring);
    EXPECT_EQ(state.pending, PendingCommand::none);
}

TEST(SipBridgeConsultDecisions, complete_to_a_number_asks_the_pbx_to_join_them_and_ends_transferred) {
    BridgeState state = consulting(false);
    EXPECT_EQ(decide(state, event(Kind::complete_command)).actions,
              (Actions{Action::keep_pending_done, Action::refer_replaces}));
    EXPECT_TRUE(decide(state, event(Kind::refer_answer, BridgeLeg::customer, 202)).actions.empty());
    EXPECT_TRUE(decide(state, event(Kind::refer_notify, BridgeLeg::customer, 100)).actions.empty());
    const auto decision = decide(state, event(Kind::refer_notify, BridgeLeg::customer, 200));
    EXPECT_EQ(decision.actions, (Actions{Action::complete_pending, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::transferred);
    EXPECT_EQ(state.consult, ConsultPhase::none);
}

TEST(SipBridgeConsultDecisions, the_pbx_ending_the_dialogs_it_replaced_before_its_notify_is_the_transfer_done) {
    BridgeState state = consulting(false);
    decide(state, event(Kind::complete_command));
    decide(state, event(Kind::refer_answer, BridgeLeg::customer, 202));
    EXPECT_TRUE(decide(state, event(Kind::bye, BridgeLeg::target)).actions.empty()) << "not a consultation ended";
    const auto decision = decide(state, event(Kind::bye, BridgeLeg::customer));
    EXPECT_EQ(decision.actions, (Actions{Action::complete_pending, Action::end}));
    EXPECT_EQ(decision.reason, EndReason::transferred);
}

TEST(SipBridgeConsultDecisions, a_pbx_that_will_not_join_them_has_them_joined_here_the_call_ending_transferred_through_us) {
    for (const auto& refusal : {event(Kind::refer_answer, BridgeLeg::customer, 501),
                                event(Kind::refer_notify, BridgeLeg::customer, 403)}) {
        BridgeState state = consulting(false);
        decide(state, event(Kind::complete_command));
        if (refusal.kind == Kind::refer_notify) decide(state, event(Kind::refer_answer, BridgeLeg::customer, 202));
        EXPECT_EQ(decide(state, refusal).actions, Actions{Action::join_target});
        EXPECT_FALSE(state.referring_replaces);
        // A late NOTIFY changes nothing now.
        EXPECT_TRUE(decide(state, event(Kind::refer_notify, BridgeLeg::customer, 200)).actions.empty());
        const auto decision = decide(state, answer(BridgeLeg::target, 200));
        EXPECT_EQ(decision.actions, (Actions{Action::target_becomes_phone, Action::complete_pending, Action::end}));
        EXPECT_EQ(decision.reason, EndReason::transferred);
    }
}

TEST(SipBridgeConsultDecisions, complete_before_the_target_answers_is_refused) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, consult_to(true));
    EXPECT_EQ(decide(state, event(Kind::complete_command)).actions, Actions{Action::refuse});
    EXPECT_EQ(state.consult, ConsultPhase::ringing);
}

TEST(SipBridgeConsultDecisions, cancel_brings_the_operator_back_to_the_customer) {
    BridgeState state = consulting();
    EXPECT_EQ(decide(state, event(Kind::cancel_command)).actions,
              (Actions{Action::release_target, Action::stop_timer, Action::back_to_customer,
                       Action::report_transfer_failed}));
    EXPECT_EQ(state.consult, ConsultPhase::none);
    EXPECT_FALSE(state.transferring);
    // Settled: a second cancel has nothing to cancel.
    EXPECT_EQ(decide(state, event(Kind::cancel_command)).actions, Actions{Action::refuse});
}

TEST(SipBridgeConsultDecisions, the_target_refusing_or_not_answering_brings_the_operator_back) {
    BridgeState refused = talking(BridgeFlow::inbound);
    decide(refused, consult_to(true));
    EXPECT_EQ(decide(refused, answer(BridgeLeg::target, 486)).actions,
              (Actions{Action::release_target, Action::stop_timer, Action::back_to_customer,
                       Action::report_transfer_failed}));
    BridgeState silent = talking(BridgeFlow::inbound);
    decide(silent, consult_to(false));
    EXPECT_EQ(decide(silent, event(Kind::target_ring_timeout, BridgeLeg::target)).actions,
              (Actions{Action::release_target, Action::back_to_customer, Action::report_transfer_failed}));
}

TEST(SipBridgeConsultDecisions, the_target_hanging_up_brings_the_operator_back) {
    BridgeState state = consulting();
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::target)).actions,
              (Actions{Action::release_target, Action::back_to_customer, Action::report_transfer_failed}));
    EXPECT_EQ(state.consult, ConsultPhase::none);
}

TEST(SipBridgeConsultDecisions, the_target_refusing_to_be_joined_fails_the_complete_and_brings_the_operator_back) {
    BridgeState state = consulting();
    decide(state, event(Kind::complete_command));
    const auto decision = decide(state, answer(BridgeLeg::target, 488));
    EXPECT_EQ(decision.actions, (Actions{Action::release_target, Action::refuse_pending, Action::back_to_customer,
                                         Action::report_transfer_failed}));
    EXPECT_EQ(decision.error, ErrorCode::unavailable);
}

TEST(SipBridgeConsultDecisions, the_operator_hanging_up_while_talking_with_the_target_completes_the_transfer) {
    BridgeState state = consulting();
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::phone)).actions, Actions{Action::join_target});
    EXPECT_EQ(state.consult, ConsultPhase::joining);
}

TEST(SipBridgeConsultDecisions, the_operator_hanging_up_while_the_target_rings_ends_the_call) {
    BridgeState state = talking(BridgeFlow::inbound);
    decide(state, consult_to(true));
    EXPECT_EQ(decide(state, event(Kind::bye, BridgeLeg::phone)).reason, EndReason::completed);
}

TEST(SipBridgeConsultDecisions, reinvites_during_the_consultation_are_answered_here_not_relayed) {
    BridgeState state = consulting();
    EXPECT_EQ(decide(state, reinvite(BridgeLeg::customer, false)).actions, Actions{Action::answer_reinvite_locally});
    EXPECT_EQ(decide(state, reinvite(BridgeLeg::phone, true)).actions, Actions{Action::answer_reinvite_locally});
    EXPECT_FALSE(state.held);
}

TEST(SipBridgeConsultDecisions, complete_or_cancel_without_a_consultation_is_refused) {
    BridgeState state = talking(BridgeFlow::inbound);
    EXPECT_EQ(decide(state, event(Kind::complete_command)).actions, Actions{Action::refuse});
    EXPECT_EQ(decide(state, event(Kind::cancel_command)).actions, Actions{Action::refuse});
}
