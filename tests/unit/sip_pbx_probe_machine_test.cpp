// The PBX probe's decisions: when a silent PBX counts as lost, and when it counts as back.
#include <gtest/gtest.h>

#include "sip/diagnosis/pbx_probe_machine.hpp"

namespace {

using ff::sip::PbxProbeMachine;
using Verdict = PbxProbeMachine::Verdict;

TEST(SipPbxProbeMachine, answering_pbx_stays_reachable_and_reports_nothing) {
    PbxProbeMachine machine(2);
    EXPECT_EQ(machine.on_answer(), Verdict::none);
    EXPECT_EQ(machine.on_answer(), Verdict::none);
    EXPECT_TRUE(machine.reachable());
}

TEST(SipPbxProbeMachine, lost_only_after_the_set_number_of_silent_probes_in_a_row) {
    PbxProbeMachine machine(2);
    EXPECT_EQ(machine.on_silence(), Verdict::none);
    EXPECT_TRUE(machine.reachable());
    EXPECT_EQ(machine.on_silence(), Verdict::pbx_lost);
    EXPECT_FALSE(machine.reachable());
    EXPECT_EQ(machine.on_silence(), Verdict::none) << "lost is reported once";
}

TEST(SipPbxProbeMachine, an_answer_between_silent_probes_starts_the_count_again) {
    PbxProbeMachine machine(2);
    EXPECT_EQ(machine.on_silence(), Verdict::none);
    EXPECT_EQ(machine.on_answer(), Verdict::none);
    EXPECT_EQ(machine.on_silence(), Verdict::none);
    EXPECT_TRUE(machine.reachable());
}

TEST(SipPbxProbeMachine, first_answer_after_the_loss_says_the_pbx_is_back_once) {
    PbxProbeMachine machine(3);
    for (int probe = 0; probe < 3; ++probe) machine.on_silence();
    ASSERT_FALSE(machine.reachable());
    EXPECT_EQ(machine.on_answer(), Verdict::pbx_back);
    EXPECT_TRUE(machine.reachable());
    EXPECT_EQ(machine.on_answer(), Verdict::none);
}

TEST(SipPbxProbeMachine, fewer_than_one_silent_probe_is_taken_as_one) {
    PbxProbeMachine machine(0);
    EXPECT_EQ(machine.on_silence(), Verdict::pbx_lost);
}

}  // namespace
