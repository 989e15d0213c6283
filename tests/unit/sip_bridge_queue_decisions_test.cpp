// The bridge's decisions for a caller in one of the service's queues: admitted, the caller hears ringing and
// joins the queue; an offer rings the members with the queue's ring time; a member who does not answer (in
// time, or refusing) hands the caller back to the queue, which offers again; a member who answers takes the
// call; the maximum wait ends it unanswered; an answer from the API waits for an offer.
#include <gtest/gtest.h>

#include "sip/bridge/bridge_decisions.hpp"
#include "support/bridge_events.hpp"

using namespace ff::sip;
using namespace ff::testing::bridge;
using ff::calls::EndReason;
using Action = BridgeAction;

namespace {

BridgeState queued() {
    BridgeState state;
    state.queued = true;
    return state;
}

BridgeState offered() {
    BridgeState state = queued();
    decide(state, event(Kind::admitted));
    decide(state, event(Kind::queue_offer, BridgeLeg::fork));
    return state;
}

}  // namespace

TEST(SipBridgeQueueDecisions, an_admitted_caller_hears_ringing_and_joins_the_queue) {
    BridgeState state = queued();
    EXPECT_EQ(decide(state, event(Kind::admitted)).actions, (Actions{Action::ringing_to_customer, Action::join_queue}));
    EXPECT_EQ(state.phase, BridgePhase::ringing);
    // The members' phones ringing later do not ring the PBX again.
    EXPECT_TRUE(decide(state, fork_answer(180, false)).actions.empty());
}

TEST(SipBridgeQueueDecisions, an_offer_rings_the_members_with_the_queues_ring_time_one_at_a_time) {
    BridgeState state = queued();
    decide(state, event(Kind::admitted));
    EXPECT_EQ(decide(state, event(Kind::queue_offer, BridgeLeg::fork)).actions,
              (Actions{Action::offer_to_members, Action::ring_phones, Action::arm_queue_ring_timer}));
    EXPECT_TRUE(state.offered);
    EXPECT_TRUE(decide(state, event(Kind::queue_offer, BridgeLeg::fork)).actions.empty());
}

TEST(SipBridgeQueueDecisions, members_who_do_not_answer_hand_the_caller_back_to_the_queue) {
    BridgeState state = offered();
    EXPECT_EQ(decide(state, event(Kind::queue_ring_timeout, BridgeLeg::fork)).actions,
              (Actions{Action::cancel_forks, Action::stop_timer, Action::queue_offer_failed}));
    EXPECT_FALSE(state.offered);

    BridgeState refused = offered();
    EXPECT_EQ(decide(refused, fork_answer(486, true)).actions,
              (Actions{Action::drop_fork, Action::stop_timer, Action::queue_offer_failed}));
    EXPECT_EQ(refused.phase, BridgePhase::ringing) << "the call goes on: the caller waits again";

    BridgeState unreachable = offered();
    EXPECT_EQ(decide(unreachable, event(Kind::no_phone_rung, BridgeLeg::fork)).actions,
              (Actions{Action::stop_timer, Action::queue_offer_failed}));
}

TEST(SipBridgeQueueDecisions, a_member_who_answers_takes_the_call) {
    BridgeState state = offered();
    EXPECT_EQ(decide(state, fork_answer(200, true)).actions,
              (Actions{Action::fork_becomes_phone, Action::answer_customer, Action::stop_timer, Action::queue_answered,
                       Action::report_answered, Action::start_probes}));
    EXPECT_EQ(state.phase, BridgePhase::talking);
    EXPECT_FALSE(state.offered);
}

TEST(SipBridgeQueueDecisions, the_maximum_wait_ends_the_call_unanswered_and_a_late_offer_is_declined) {
    BridgeState state = offered();
    const auto decision = decide(state, event(Kind::queue_overdue));
    EXPECT_EQ(decision.actions, Actions{Action::end});
    EXPECT_EQ(decision.reason, EndReason::missed);

    BridgeState talking_now = offered();
    decide(talking_now, fork_answer(200, true));
    EXPECT_EQ(decide(talking_now, event(Kind::queue_offer, BridgeLeg::fork)).actions, Actions{Action::leave_queue});
    EXPECT_TRUE(decide(talking_now, event(Kind::queue_overdue)).actions.empty());
}

TEST(SipBridgeQueueDecisions, the_api_answers_only_a_caller_whose_offer_rings) {
    BridgeState waiting = queued();
    decide(waiting, event(Kind::admitted));
    const auto refused = decide(waiting, event(Kind::answer_command));
    EXPECT_EQ(refused.actions, Actions{Action::refuse});
    EXPECT_EQ(refused.message, "the caller waits in the queue for a free member");

    BridgeState ringing = offered();
    EXPECT_EQ(decide(ringing, event(Kind::answer_command)).actions,
              (Actions{Action::cancel_forks, Action::keep_pending_done, Action::ring_phones_auto_answer}));
}

TEST(SipBridgeQueueDecisions, with_music_the_caller_is_answered_at_once_and_the_member_joined_through_rtpengine) {
    BridgeState state = queued();
    state.music_while_queued = true;
    EXPECT_EQ(decide(state, event(Kind::admitted)).actions, (Actions{Action::answer_caller_with_music, Action::join_queue}));
    EXPECT_TRUE(state.caller_answered);
    EXPECT_EQ(state.phase, BridgePhase::ringing) << "for the model the call rings until a member takes it";
    // The session refresh of an answered caller is answered here: there is no member to relay it to yet.
    BridgeEvent refresh = reinvite(BridgeLeg::customer, false);
    refresh.both_legs = false;
    EXPECT_EQ(decide(state, refresh).actions, Actions{Action::answer_reinvite_locally});
    decide(state, event(Kind::queue_offer, BridgeLeg::fork));
    EXPECT_EQ(decide(state, fork_answer(200, true)).actions,
              (Actions{Action::fork_becomes_phone, Action::connect_member, Action::stop_timer, Action::queue_answered,
                       Action::report_answered, Action::start_probes}));
    // Waiting, the caller hangs up with a BYE (it was answered): the call was missed.
    BridgeState gave_up = queued();
    gave_up.music_while_queued = true;
    decide(gave_up, event(Kind::admitted));
    EXPECT_EQ(decide(gave_up, event(Kind::bye, BridgeLeg::customer)).reason, EndReason::missed);
}
