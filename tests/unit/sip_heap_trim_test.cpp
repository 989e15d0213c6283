// When the memory of ended calls is given back: only while calls come and go, at most once per interval.
#include <gtest/gtest.h>

#include "sip/stack/heap_trim.hpp"

using namespace ff::sip;
using std::chrono::seconds;

namespace {
const HeapTrim::Clock::time_point start = HeapTrim::Clock::now() + std::chrono::hours(1);
}

TEST(SipHeapTrim, an_idle_service_never_trims) {
    HeapTrim trim(seconds(2), seconds(40));
    EXPECT_FALSE(trim.tick(start));
    EXPECT_FALSE(trim.tick(start + seconds(100)));
}

TEST(SipHeapTrim, calls_changing_trim_at_most_once_per_interval) {
    HeapTrim trim(seconds(2), seconds(40));
    trim.activity(start);
    EXPECT_TRUE(trim.tick(start));
    EXPECT_FALSE(trim.tick(start + seconds(1)));
    trim.activity(start + seconds(1));
    EXPECT_FALSE(trim.tick(start + seconds(1)));
    EXPECT_TRUE(trim.tick(start + seconds(2)));
}

TEST(SipHeapTrim, trims_go_on_for_the_linger_time_after_the_last_change_then_stop) {
    HeapTrim trim(seconds(2), seconds(40));
    trim.activity(start);
    EXPECT_TRUE(trim.tick(start));
    EXPECT_TRUE(trim.tick(start + seconds(30)));  // Sofia is still freeing the calls' last transactions
    EXPECT_TRUE(trim.tick(start + seconds(41)));  // the last one
    EXPECT_FALSE(trim.tick(start + seconds(50)));
    trim.activity(start + seconds(60));
    EXPECT_TRUE(trim.tick(start + seconds(60)));
}
