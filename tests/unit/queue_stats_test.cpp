// A queue's figures: offered, answered, abandoned with the short abandons apart, the service level, the
// average and longest wait and the average handle time.
#include <gtest/gtest.h>

#include "calls/queue_stats.hpp"

using namespace ff::calls;

namespace {

TimePoint at_s(double seconds) {
    return TimePoint{std::chrono::milliseconds{1'700'000'000'000 + static_cast<std::int64_t>(seconds * 1000)}};
}

QueueCallTimes answered_after(double wait, double talk) {
    return {at_s(0), at_s(wait), at_s(wait + talk)};
}

QueueCallTimes given_up_after(double wait) {
    return {at_s(0), std::nullopt, at_s(wait)};
}

}  // namespace

TEST(QueueStats, figures_of_answered_abandoned_and_short_abandoned_calls) {
    const auto stats = summarize_queue_calls(
        {answered_after(10, 60), answered_after(30, 120), given_up_after(50), given_up_after(2),
         {at_s(0), std::nullopt, std::nullopt}},
        QueueStatsOptions{std::chrono::seconds(5), std::chrono::seconds(20)});
    EXPECT_EQ(stats.offered, 5);
    EXPECT_EQ(stats.answered, 2);
    EXPECT_EQ(stats.abandoned, 1);
    EXPECT_EQ(stats.short_abandoned, 1);
    EXPECT_EQ(stats.waiting, 1);
    ASSERT_TRUE(stats.service_level);
    EXPECT_DOUBLE_EQ(*stats.service_level, 1.0 / 3.0);  // one of three (short abandons and the waiting left out)
    EXPECT_DOUBLE_EQ(stats.average_wait_seconds, 30);   // (10 + 30 + 50) / 3
    EXPECT_DOUBLE_EQ(stats.longest_wait_seconds, 50);
    EXPECT_DOUBLE_EQ(stats.average_handle_seconds, 90);
}

TEST(QueueStats, no_calls_no_service_level) {
    const auto stats = summarize_queue_calls({}, {});
    EXPECT_EQ(stats.offered, 0);
    EXPECT_FALSE(stats.service_level);
    EXPECT_EQ(stats.average_wait_seconds, 0);
}
