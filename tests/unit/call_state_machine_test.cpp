// The call state machine: allowed transitions, refused ones, end reasons and talk time.
#include <gtest/gtest.h>

#include "calls/call_state_machine.hpp"

using namespace ff::calls;
using namespace std::chrono_literals;

namespace {

Call ringing_inbound() {
    Call call;
    call.id = "c1";
    call.direction = Direction::inbound;
    call.start_time = TimePoint{1000s};
    return call;
}

}  // namespace

TEST(CallStateMachine, answered_call_records_answer_time_and_talk_time) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    EXPECT_EQ(call.status, CallStatus::answered);
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::completed, TimePoint{1075s}}));
    EXPECT_EQ(call.status, CallStatus::ended);
    EXPECT_EQ(call.end_reason, EndReason::completed);
    EXPECT_EQ(call.talk_seconds(TimePoint{2000s}), 65);
}

TEST(CallStateMachine, caller_hanging_up_before_answer_is_missed_with_no_talk_time) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::missed, TimePoint{1020s}}));
    EXPECT_EQ(call.end_reason, EndReason::missed);
    EXPECT_EQ(call.talk_seconds(TimePoint{2000s}), 0);
}

TEST(CallStateMachine, unanswered_call_cannot_end_as_completed) {
    Call call = ringing_inbound();
    const auto status = apply_transition(call, transition::Ended{EndReason::completed, TimePoint{1020s}});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::invalid_state);
    EXPECT_EQ(call.status, CallStatus::ringing);
}

TEST(CallStateMachine, hold_and_unhold_only_from_the_right_states) {
    Call call = ringing_inbound();
    EXPECT_FALSE(apply_transition(call, transition::Held{}));
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::Held{}));
    EXPECT_EQ(call.status, CallStatus::held);
    EXPECT_FALSE(apply_transition(call, transition::Held{}));
    ASSERT_TRUE(apply_transition(call, transition::Unheld{}));
    EXPECT_EQ(call.status, CallStatus::answered);
}

TEST(CallStateMachine, transfer_moves_call_to_another_operator_who_answers) {
    Call call = ringing_inbound();
    call.extension = "1001";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::TransferStarted{"1002"}));
    EXPECT_EQ(call.status, CallStatus::transferred);
    EXPECT_EQ(call.transfer_target, "1002");
    ASSERT_TRUE(apply_transition(call, transition::Reoffered{"1002", TimePoint{1007s}}));
    EXPECT_EQ(call.extension, "1002");
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    EXPECT_EQ(call.answer_time, TimePoint{1001s});  // talk time counts from the first answer
}

TEST(CallStateMachine, each_operator_who_had_the_call_keeps_a_turn) {
    Call call = ringing_inbound();
    call.extension = "1001";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::TransferStarted{"1002"}));
    ASSERT_TRUE(apply_transition(call, transition::Reoffered{"1002", TimePoint{1007s}}));
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::completed, TimePoint{1030s}}));

    ASSERT_EQ(call.operators.size(), 2u);
    const OperatorTurn& first = call.operators[0];
    EXPECT_EQ(first.extension, "1001");
    EXPECT_EQ(first.from, call.start_time);
    EXPECT_EQ(first.answered_at, TimePoint{1001s});
    EXPECT_EQ(first.until, TimePoint{1007s});
    EXPECT_EQ(first.transferred_to, "1002");
    EXPECT_EQ(first.talk_seconds(TimePoint{2000s}), 6);
    const OperatorTurn& second = call.operators[1];
    EXPECT_EQ(second.extension, "1002");
    EXPECT_EQ(second.from, TimePoint{1007s});
    EXPECT_EQ(second.answered_at, TimePoint{1010s});
    EXPECT_EQ(second.until, TimePoint{1030s});
    EXPECT_EQ(second.transferred_to, "");
    EXPECT_EQ(second.talk_seconds(TimePoint{2000s}), 20);
    EXPECT_EQ(call.talk_seconds(TimePoint{2000s}), 29);  // the customer's whole conversation
}

TEST(CallStateMachine, a_transfer_outside_closes_the_turn_with_its_target) {
    Call call = ringing_inbound();
    call.extension = "1001";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::TransferStarted{"+79990000000"}));
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::transferred, TimePoint{1005s}}));
    ASSERT_EQ(call.operators.size(), 1u);
    EXPECT_EQ(call.operators[0].transferred_to, "+79990000000");
    EXPECT_EQ(call.operators[0].until, TimePoint{1005s});
    EXPECT_EQ(call.operators[0].talk_seconds(TimePoint{2000s}), 4);
}

TEST(CallStateMachine, a_call_no_operator_had_has_no_turn) {
    Call call = ringing_inbound();
    call.extension.clear();
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::missed, TimePoint{1005s}}));
    EXPECT_TRUE(call.operators.empty());
}

TEST(CallStateMachine, refused_transfer_returns_call_to_answered) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::TransferStarted{"+79990000000"}));
    ASSERT_TRUE(apply_transition(call, transition::TransferFailed{}));
    EXPECT_EQ(call.status, CallStatus::answered);
}

TEST(CallStateMachine, ended_call_accepts_nothing_more) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::busy, TimePoint{1002s}}));
    EXPECT_FALSE(apply_transition(call, transition::Answered{TimePoint{1003s}}));
    EXPECT_FALSE(apply_transition(call, transition::Ended{EndReason::failed, TimePoint{1003s}}));
    EXPECT_EQ(call.end_reason, EndReason::busy);
}

TEST(CallStateMachine, actions_allowed_by_status) {
    EXPECT_TRUE(allows(CallStatus::ringing, CallAction::answer, Direction::inbound));
    EXPECT_FALSE(allows(CallStatus::ringing, CallAction::answer, Direction::outbound));
    EXPECT_FALSE(allows(CallStatus::answered, CallAction::answer, Direction::inbound));
    EXPECT_TRUE(allows(CallStatus::answered, CallAction::hold, Direction::inbound));
    EXPECT_FALSE(allows(CallStatus::held, CallAction::hold, Direction::inbound));
    EXPECT_TRUE(allows(CallStatus::held, CallAction::unhold, Direction::inbound));
    EXPECT_TRUE(allows(CallStatus::held, CallAction::transfer, Direction::inbound));
    EXPECT_FALSE(allows(CallStatus::ringing, CallAction::transfer, Direction::inbound));
    EXPECT_TRUE(allows(CallStatus::ringing, CallAction::hangup, Direction::outbound));
    EXPECT_FALSE(allows(CallStatus::ended, CallAction::hangup, Direction::outbound));
}

namespace {

MediaReport counted(std::uint64_t customer_packets, std::uint64_t operator_packets) {
    MediaReport media;
    media.customer_to_operator.packets = customer_packets;
    media.operator_to_customer.packets = operator_packets;
    return media;
}

Call ended_with(bool answered, MediaReport media) {
    Call call = ringing_inbound();
    if (answered) {
        EXPECT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    }
    const EndReason reason = answered ? EndReason::completed : EndReason::missed;
    EXPECT_TRUE(apply_transition(call, transition::Ended{reason, TimePoint{1075s}, media}));
    return call;
}

}  // namespace

TEST(CallStateMachine, an_answered_call_where_one_side_sent_nothing_is_one_way) {
    const Call call = ended_with(true, counted(0, 3100));
    ASSERT_TRUE(call.media);
    EXPECT_TRUE(call.media->one_way);
    EXPECT_FALSE(call.media->no_audio);
    EXPECT_EQ(call.media->customer_to_operator.packets, 0u);
    EXPECT_EQ(call.media->operator_to_customer.packets, 3100u);
    EXPECT_TRUE(ended_with(true, counted(3100, 0)).media->one_way);
}

TEST(CallStateMachine, audio_both_ways_is_no_complaint_and_none_at_all_is_said_apart) {
    const Call both = ended_with(true, counted(3000, 3100));
    EXPECT_FALSE(both.media->one_way);
    EXPECT_FALSE(both.media->no_audio);
    const Call silent = ended_with(true, counted(0, 0));
    EXPECT_FALSE(silent.media->one_way);
    EXPECT_TRUE(silent.media->no_audio);
}

TEST(CallStateMachine, a_call_never_answered_had_no_audio_to_miss) {
    const Call call = ended_with(false, counted(0, 40));  // early media from one side only
    ASSERT_TRUE(call.media);
    EXPECT_FALSE(call.media->one_way);
    EXPECT_FALSE(call.media->no_audio);
}

TEST(CallStateMachine, a_call_rtpengine_did_not_anchor_has_no_media_report) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::completed, TimePoint{1075s}}));
    EXPECT_FALSE(call.media);
}

TEST(CallStateMachine, a_recorded_call_that_was_answered_ends_with_its_recording_processing) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::RecordingSwitched{true}));
    ASSERT_EQ(call.recording->status, RecordingStatus::recording);
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    ASSERT_TRUE(apply_transition(call, transition::RecordingSwitched{false}));
    EXPECT_EQ(call.recording->status, RecordingStatus::paused);
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::completed, TimePoint{1075s}}));
    ASSERT_TRUE(call.recording);
    EXPECT_EQ(call.recording->status, RecordingStatus::processing);
    EXPECT_FALSE(apply_transition(call, transition::RecordingSwitched{true}));
}

TEST(CallStateMachine, a_recorded_call_nobody_answered_keeps_no_recording) {
    Call call = ringing_inbound();
    call.recording = Recording{};
    ASSERT_TRUE(apply_transition(call, transition::Ended{EndReason::missed, TimePoint{1030s}}));
    EXPECT_FALSE(call.recording);
}


// A queue offers a ringing call to one member after another: each offer ends the turn before it unanswered
// (no transfer), and only a ringing call can be offered.
TEST(CallStateMachine, a_queue_offers_a_ringing_call_to_one_member_after_another) {
    Call call = ringing_inbound();
    call.extension = "2000";
    ASSERT_TRUE(apply_transition(call, transition::Offered{{"1001"}, TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(call, transition::Offered{{"1002"}, TimePoint{1006s}}));
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1007s}}));
    EXPECT_EQ(call.extension, "1002");
    ASSERT_EQ(call.operators.size(), 3u);
    EXPECT_EQ(call.operators[0].extension, "2000");
    EXPECT_EQ(call.operators[1].until, TimePoint{1006s});
    EXPECT_FALSE(call.operators[1].answered_at);
    EXPECT_TRUE(call.operators[1].transferred_to.empty());
    EXPECT_EQ(call.operators[2].answered_at, TimePoint{1007s});
    EXPECT_FALSE(apply_transition(call, transition::Offered{{"1003"}, TimePoint{1008s}})) << "answered: not offered";
}

// Ringall: the call stays the queue's, offered to every member rung; the one who answers takes it.
TEST(CallStateMachine, a_queue_offers_a_ringing_call_to_several_members_at_once) {
    Call call = ringing_inbound();
    call.extension = "2000";
    ASSERT_TRUE(apply_transition(call, transition::Offered{{"1001", "1002"}, TimePoint{1001s}}));
    EXPECT_EQ(call.extension, "2000");
    EXPECT_EQ(call.offered_to, (std::vector<std::string>{"1001", "1002"}));
    ASSERT_TRUE(apply_transition(call, transition::Offered{{"1002"}, TimePoint{1004s}}));
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1004s}}));
    EXPECT_EQ(call.extension, "1002");
    EXPECT_TRUE(call.offered_to.empty());
    // Offered back to the queue's own line: nobody is offered it any more, and it stays where it is.
    Call back = ringing_inbound();
    back.extension = "2000";
    back.current_turn();  // the queue's line's turn, as the registry opens it
    ASSERT_TRUE(apply_transition(back, transition::Offered{{"1001", "1002"}, TimePoint{1001s}}));
    ASSERT_TRUE(apply_transition(back, transition::Offered{{"2000"}, TimePoint{1011s}}));
    EXPECT_TRUE(back.offered_to.empty());
    EXPECT_EQ(back.operators.size(), 1u);
}

TEST(CallStateMachine, an_attended_transfer_consults_the_target_then_hands_the_call_over) {
    Call call = ringing_inbound();
    call.extension = "1001";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    ASSERT_TRUE(apply_transition(call, transition::ConsultStarted{"1002", TimePoint{1020s}}));
    EXPECT_EQ(call.status, CallStatus::transferred);
    ASSERT_TRUE(call.consultation);
    EXPECT_EQ(call.consultation->target, "1002");
    EXPECT_FALSE(call.consultation->answered_at);
    EXPECT_FALSE(allows(call.status, CallAction::hold, call.direction));
    EXPECT_TRUE(allows(call.status, CallAction::complete_transfer, call.direction));
    ASSERT_TRUE(apply_transition(call, transition::ConsultAnswered{TimePoint{1025s}}));
    EXPECT_EQ(call.consultation->answered_at, TimePoint{1025s});
    ASSERT_TRUE(apply_transition(call, transition::Reoffered{"1002", TimePoint{1040s}}));
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1040s}}));
    EXPECT_FALSE(call.consultation);
    EXPECT_EQ(call.extension, "1002");
    ASSERT_EQ(call.operators.size(), 2u);
    EXPECT_EQ(call.operators[0].transferred_to, "1002");
}

TEST(CallStateMachine, a_cancelled_consultation_leaves_the_call_with_its_operator) {
    Call call = ringing_inbound();
    call.extension = "1001";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    ASSERT_TRUE(apply_transition(call, transition::ConsultStarted{"+74950000000", TimePoint{1020s}}));
    ASSERT_TRUE(apply_transition(call, transition::TransferFailed{}));
    EXPECT_EQ(call.status, CallStatus::answered);
    EXPECT_FALSE(call.consultation);
    EXPECT_FALSE(apply_transition(call, transition::ConsultAnswered{TimePoint{1030s}}));
    Call ringing = ringing_inbound();
    EXPECT_FALSE(apply_transition(ringing, transition::ConsultStarted{"1002", TimePoint{1020s}}));
}

TEST(CallStateMachine, keys_pressed_while_ringing_make_the_ivr_choice_and_stop_at_the_answer) {
    Call call = ringing_inbound();
    ASSERT_TRUE(apply_transition(call, transition::KeyPressed{'2'}));
    ASSERT_TRUE(apply_transition(call, transition::KeyPressed{'#'}));
    EXPECT_EQ(call.ivr_choice, "2#");
    EXPECT_FALSE(apply_transition(call, transition::KeyPressed{'x'})) << "not a key";
    ASSERT_TRUE(apply_transition(call, transition::Answered{TimePoint{1010s}}));
    const auto after_answer = apply_transition(call, transition::KeyPressed{'5'});
    ASSERT_FALSE(after_answer);
    EXPECT_EQ(after_answer.error().code, ErrorCode::invalid_state);
    EXPECT_EQ(call.ivr_choice, "2#") << "keys during the talk are not the caller's choice";
}

TEST(CallStateMachine, keys_pressed_leave_the_pbxs_ivr_choice_and_outbound_calls_alone) {
    Call chosen = ringing_inbound();
    chosen.ivr_choice = "1";  // passed by the PBX (IVR_HEADER)
    EXPECT_FALSE(apply_transition(chosen, transition::KeyPressed{'2'}));
    EXPECT_EQ(chosen.ivr_choice, "1");
    Call outbound = ringing_inbound();
    outbound.direction = Direction::outbound;
    EXPECT_FALSE(apply_transition(outbound, transition::KeyPressed{'2'}));
    EXPECT_EQ(outbound.ivr_choice, "");
    Call eager = ringing_inbound();
    for (int i = 0; i < 20; ++i) (void)apply_transition(eager, transition::KeyPressed{'9'});
    EXPECT_EQ(eager.ivr_choice, std::string(16, '9')) << "a caller who keeps pressing changes nothing more";
}
