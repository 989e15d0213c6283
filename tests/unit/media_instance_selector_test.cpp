// Choosing an rtpengine per call: sticky calls, the least busy living instance, dead ones skipped.
#include "media/instance_selector.hpp"

#include <gtest/gtest.h>

using ff::media::InstanceSelector;

TEST(MediaInstanceSelector, a_new_call_goes_to_the_instance_with_fewest_calls) {
    InstanceSelector selector(3);
    EXPECT_EQ(selector.for_call("a"), 0u);
    EXPECT_EQ(selector.for_call("b"), 1u);
    EXPECT_EQ(selector.for_call("c"), 2u);
    selector.forget("b");
    EXPECT_EQ(selector.for_call("d"), 1u);
}

TEST(MediaInstanceSelector, a_call_stays_on_the_instance_of_its_first_offer) {
    InstanceSelector selector(2);
    EXPECT_EQ(selector.for_call("a"), 0u);
    EXPECT_EQ(selector.for_call("b"), 1u);
    EXPECT_EQ(selector.for_call("a"), 0u);
    EXPECT_EQ(selector.calls_on(0), 1u);
}

TEST(MediaInstanceSelector, a_dead_instance_gets_no_new_calls_but_keeps_its_own) {
    InstanceSelector selector(2);
    EXPECT_EQ(selector.for_call("a"), 0u);
    selector.mark_dead(0);
    EXPECT_EQ(selector.for_call("b"), 1u);
    EXPECT_EQ(selector.for_call("c"), 1u);
    EXPECT_EQ(selector.for_call("a"), 0u);
    EXPECT_EQ(selector.pinned("a"), 0u);
}

TEST(MediaInstanceSelector, an_instance_that_answers_again_takes_new_calls) {
    InstanceSelector selector(2);
    selector.mark_dead(0);
    EXPECT_EQ(selector.for_call("a"), 1u);
    selector.mark_alive(0);
    EXPECT_EQ(selector.for_call("b"), 0u);
}

TEST(MediaInstanceSelector, no_living_instance_means_no_new_call) {
    InstanceSelector selector(2);
    selector.mark_dead(0);
    selector.mark_dead(1);
    EXPECT_FALSE(selector.for_call("a").has_value());
    EXPECT_FALSE(selector.pinned("a").has_value());
}

TEST(MediaInstanceSelector, forgetting_an_unknown_call_changes_nothing) {
    InstanceSelector selector(1);
    selector.forget("nobody");
    EXPECT_EQ(selector.calls_on(0), 0u);
    EXPECT_EQ(selector.for_call("a"), 0u);
}
