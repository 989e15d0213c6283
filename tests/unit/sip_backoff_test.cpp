// Registration retry delays: doubling from 1 s, capped at 30 s, jitter only ever shortens a delay.
#include <gtest/gtest.h>

#include "sip/lines/backoff.hpp"

using namespace ff::sip;
using std::chrono::milliseconds;

TEST(SipBackoff, nominal_schedule_doubles_from_one_second_and_stops_at_thirty) {
    const BackoffPolicy policy;
    const std::vector<long> expected{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(backoff_delay(policy, static_cast<int>(i) + 1, 0.0).count(), expected[i])
            << "failure " << i + 1;
    }
}

TEST(SipBackoff, a_very_long_outage_stays_at_the_cap) {
    EXPECT_EQ(backoff_delay(BackoffPolicy{}, 10'000, 0.0), milliseconds(30000));
}

TEST(SipBackoff, jitter_shortens_by_at_most_its_fraction) {
    const BackoffPolicy policy;  // jitter 0.2
    EXPECT_EQ(backoff_delay(policy, 1, 0.5), milliseconds(900));
    EXPECT_EQ(backoff_delay(policy, 3, 0.75), milliseconds(3400));
    EXPECT_GT(backoff_delay(policy, 3, 0.999999), milliseconds(3199));
    EXPECT_EQ(backoff_delay(policy, 6, 0.5), milliseconds(27000));
}

TEST(SipBackoff, random_delays_stay_between_eighty_percent_and_the_nominal_value) {
    Backoff backoff(BackoffPolicy{}, 42);
    long nominal = 1000;
    for (int failure = 1; failure <= 12; ++failure) {
        const auto delay = backoff.next().count();
        EXPECT_LE(delay, nominal) << "failure " << failure;
        EXPECT_GE(delay, nominal * 8 / 10) << "failure " << failure;
        nominal = std::min(nominal * 2, 30000L);
    }
    EXPECT_EQ(backoff.failures(), 12);
}

TEST(SipBackoff, reset_after_a_success_starts_again_from_one_second) {
    Backoff backoff(BackoffPolicy{}, 7);
    for (int i = 0; i < 6; ++i) backoff.next();
    backoff.reset();
    EXPECT_EQ(backoff.failures(), 0);
    EXPECT_LE(backoff.next(), milliseconds(1000));
}

TEST(SipBackoff, lines_failing_together_do_not_retry_in_step) {
    Backoff first(BackoffPolicy{}, 1);
    Backoff second(BackoffPolicy{}, 2);
    int same = 0;
    for (int i = 0; i < 8; ++i) same += first.next() == second.next() ? 1 : 0;
    EXPECT_LT(same, 8);
}
