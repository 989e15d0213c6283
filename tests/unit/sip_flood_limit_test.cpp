// Floods from one address: a burst, then a steady rate per source; other sources and the PBX untouched.
#include <gtest/gtest.h>

#include "sip/stack/flood_limit.hpp"

using namespace ff::sip;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const FloodLimit::Clock::time_point start{seconds(5000)};

// How many of `count` requests sent evenly over `over` are admitted.
int admitted_of(FloodLimit& limit, const std::string& address, int count, milliseconds over,
                FloodLimit::Clock::time_point from = start) {
    int admitted = 0;
    for (int i = 0; i < count; ++i) {
        if (limit.admit(address, from + over * i / count).admitted) ++admitted;
    }
    return admitted;
}

}  // namespace

TEST(SipFloodLimit, a_burst_passes_then_the_source_gets_the_rate_only) {
    FloodLimit limit(FloodPolicy{10, 30});
    // 30 at once pass, the 31st does not.
    EXPECT_EQ(admitted_of(limit, "192.0.2.1", 31, milliseconds(0)), 30);
    // Then 10 a second: 100 requests over the next 2 s get 20 through.
    EXPECT_EQ(admitted_of(limit, "192.0.2.1", 100, milliseconds(2000), start + milliseconds(100)), 20);
}

TEST(SipFloodLimit, the_first_refusal_of_a_run_and_the_admission_that_ends_it_are_told) {
    FloodLimit limit(FloodPolicy{1, 2});
    EXPECT_TRUE(limit.admit("192.0.2.1", start).admitted);
    EXPECT_TRUE(limit.admit("192.0.2.1", start).admitted);
    const auto first = limit.admit("192.0.2.1", start);
    EXPECT_FALSE(first.admitted);
    EXPECT_TRUE(first.first_refusal);
    EXPECT_EQ(first.retry_after, seconds(1));
    const auto second = limit.admit("192.0.2.1", start + milliseconds(10));
    EXPECT_FALSE(second.admitted);
    EXPECT_FALSE(second.first_refusal);
    const auto again = limit.admit("192.0.2.1", start + milliseconds(1010));
    EXPECT_TRUE(again.admitted);
    EXPECT_EQ(again.refused_before, 2u);
    EXPECT_EQ(limit.admit("192.0.2.1", start + milliseconds(1010)).refused_before, 0u);
}

TEST(SipFloodLimit, retry_after_is_the_wait_for_one_token_in_whole_seconds) {
    FloodLimit slow(FloodPolicy{1, 1});
    slow.admit("192.0.2.1", start);
    EXPECT_EQ(slow.admit("192.0.2.1", start + milliseconds(100)).retry_after, seconds(1));
    FloodLimit fast(FloodPolicy{1000, 1});
    fast.admit("192.0.2.1", start);
    EXPECT_EQ(fast.admit("192.0.2.1", start).retry_after, seconds(1));  // never 0
}

TEST(SipFloodLimit, another_source_is_not_slowed_by_a_flooding_one) {
    FloodLimit limit(FloodPolicy{20, 100});
    EXPECT_LT(admitted_of(limit, "192.0.2.66", 5000, milliseconds(5000)), 250);
    // A phone's usual traffic at the same time: a REGISTER and its challenge, an OPTIONS, a call.
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(limit.admit("192.0.2.7", start + seconds(2) + milliseconds(i)).admitted);
}

TEST(SipFloodLimit, trusted_addresses_are_never_limited_nor_counted) {
    FloodLimit limit(FloodPolicy{1, 1});
    limit.trust({"192.0.2.10"});
    EXPECT_EQ(admitted_of(limit, "192.0.2.10", 1000, milliseconds(100)), 1000);
    EXPECT_EQ(limit.tracked(), 0u);
    // A new trusted set replaces the old one and forgets what was counted of its addresses.
    EXPECT_EQ(admitted_of(limit, "192.0.2.11", 3, milliseconds(0)), 1);
    limit.trust({"192.0.2.11"});
    EXPECT_FALSE(limit.trusted("192.0.2.10"));
    EXPECT_TRUE(limit.admit("192.0.2.11", start).admitted);
    EXPECT_EQ(limit.tracked(), 0u);
}

TEST(SipFloodLimit, zero_per_second_turns_the_limit_off) {
    FloodLimit limit(FloodPolicy{0, 1});
    EXPECT_FALSE(limit.enabled());
    EXPECT_EQ(admitted_of(limit, "192.0.2.1", 10000, milliseconds(10)), 10000);
    EXPECT_EQ(limit.tracked(), 0u);
}

TEST(SipFloodLimit, a_bucket_refills_to_its_burst_and_no_more) {
    FloodLimit limit(FloodPolicy{10, 5});
    EXPECT_EQ(admitted_of(limit, "192.0.2.1", 5, milliseconds(0)), 5);
    // An hour later: the burst again, not 36000 tokens.
    EXPECT_EQ(admitted_of(limit, "192.0.2.1", 50, milliseconds(0), start + seconds(3600)), 5);
}

TEST(SipFloodLimit, many_sources_stay_within_the_memory_bound_and_a_refused_one_is_kept) {
    FloodLimit limit(FloodPolicy{1, 1, 100});
    limit.admit("198.51.100.1", start);
    EXPECT_FALSE(limit.admit("198.51.100.1", start).admitted);  // being refused
    for (int i = 0; i < 1000; ++i) limit.admit("203.0.113." + std::to_string(i), start + milliseconds(i));
    EXPECT_LE(limit.tracked(), 100u);
    // Idle sources whose bucket filled up again go first; one in a run of refusals stays.
    FloodLimit small(FloodPolicy{1, 1, 3});
    small.admit("198.51.100.1", start);
    EXPECT_FALSE(small.admit("198.51.100.1", start).admitted);
    small.admit("203.0.113.1", start);
    small.admit("203.0.113.2", start);
    small.admit("203.0.113.3", start + seconds(10));
    EXPECT_EQ(small.tracked(), 2u);
    EXPECT_EQ(small.admit("198.51.100.1", start + seconds(10)).refused_before, 1u);
}
