// The schedule that slows a guessing address down: immediate first answer, then doubling to a ceiling.
#include <gtest/gtest.h>

#include "sip/phones/registrar_failure_delay.hpp"

using namespace ff::sip;
using std::chrono::milliseconds;

TEST(SipRegistrarFailureDelay, the_first_failure_is_answered_at_once) {
    const FailureDelay delay(FailureDelayPolicy{milliseconds(500), milliseconds(8000)});
    EXPECT_EQ(delay.after(0), milliseconds(0));
}

TEST(SipRegistrarFailureDelay, each_further_failure_waits_twice_as_long_up_to_the_ceiling) {
    const FailureDelay delay(FailureDelayPolicy{milliseconds(500), milliseconds(8000)});
    EXPECT_EQ(delay.after(1), milliseconds(500));
    EXPECT_EQ(delay.after(2), milliseconds(1000));
    EXPECT_EQ(delay.after(3), milliseconds(2000));
    EXPECT_EQ(delay.after(4), milliseconds(4000));
    EXPECT_EQ(delay.after(5), milliseconds(8000));
    EXPECT_EQ(delay.after(6), milliseconds(8000));
}

TEST(SipRegistrarFailureDelay, a_ceiling_between_steps_is_reached_exactly) {
    const FailureDelay delay(FailureDelayPolicy{milliseconds(300), milliseconds(1000)});
    EXPECT_EQ(delay.after(2), milliseconds(600));
    EXPECT_EQ(delay.after(3), milliseconds(1000));
}

TEST(SipRegistrarFailureDelay, a_huge_failure_count_stays_at_the_ceiling) {
    const FailureDelay delay(FailureDelayPolicy{milliseconds(500), milliseconds(8000)});
    EXPECT_EQ(delay.after(1'000'000), milliseconds(8000));
}

TEST(SipRegistrarFailureDelay, a_first_step_above_the_ceiling_is_cut_to_it) {
    const FailureDelay delay(FailureDelayPolicy{milliseconds(5000), milliseconds(2000)});
    EXPECT_EQ(delay.after(1), milliseconds(2000));
}

TEST(SipRegistrarFailureDelay, a_zero_step_or_ceiling_turns_the_delay_off) {
    EXPECT_EQ(FailureDelay(FailureDelayPolicy{milliseconds(0), milliseconds(8000)}).after(5),
              milliseconds(0));
    EXPECT_EQ(FailureDelay(FailureDelayPolicy{milliseconds(500), milliseconds(0)}).after(5), milliseconds(0));
}
