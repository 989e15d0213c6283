// Password guessing from one address: failures counted within a window, then a lock-out that ends.
#include <gtest/gtest.h>

#include "sip/phones/auth_lockout.hpp"

using namespace ff::sip;
using std::chrono::seconds;

namespace {

const AuthLockout::Clock::time_point start{seconds(5000)};

LockoutPolicy policy(int failures, seconds window, seconds lockout, std::size_t tracked = 10000) {
    return LockoutPolicy{failures, window, lockout, tracked};
}

}  // namespace

TEST(SipDeviceLockout, the_failure_that_reaches_the_limit_locks_the_address_out_once) {
    AuthLockout lockout(policy(3, seconds(60), seconds(300)));
    EXPECT_FALSE(lockout.record_failure("192.0.2.1", start));
    EXPECT_FALSE(lockout.record_failure("192.0.2.1", start + seconds(1)));
    EXPECT_FALSE(lockout.locked("192.0.2.1", start + seconds(1)));
    EXPECT_TRUE(lockout.record_failure("192.0.2.1", start + seconds(2)));
    EXPECT_TRUE(lockout.locked("192.0.2.1", start + seconds(2)));
    // More failures while locked out neither report again nor extend the lock-out.
    EXPECT_FALSE(lockout.record_failure("192.0.2.1", start + seconds(3)));
    EXPECT_TRUE(lockout.locked("192.0.2.1", start + seconds(301)));
    EXPECT_FALSE(lockout.locked("192.0.2.1", start + seconds(302)));
}

TEST(SipDeviceLockout, other_addresses_are_not_affected) {
    AuthLockout lockout(policy(2, seconds(60), seconds(300)));
    lockout.record_failure("192.0.2.1", start);
    lockout.record_failure("192.0.2.1", start);
    EXPECT_TRUE(lockout.locked("192.0.2.1", start));
    EXPECT_FALSE(lockout.locked("192.0.2.2", start));
    EXPECT_FALSE(lockout.record_failure("192.0.2.2", start));
}

TEST(SipDeviceLockout, failures_older_than_the_window_do_not_count) {
    AuthLockout lockout(policy(3, seconds(60), seconds(300)));
    lockout.record_failure("192.0.2.1", start);
    lockout.record_failure("192.0.2.1", start + seconds(30));
    EXPECT_EQ(lockout.failures("192.0.2.1", start + seconds(70)), 1);
    EXPECT_FALSE(lockout.record_failure("192.0.2.1", start + seconds(70)));
    EXPECT_FALSE(lockout.locked("192.0.2.1", start + seconds(70)));
    EXPECT_TRUE(lockout.record_failure("192.0.2.1", start + seconds(80)));
}

TEST(SipDeviceLockout, after_a_lockout_the_count_starts_again) {
    AuthLockout lockout(policy(2, seconds(60), seconds(10)));
    lockout.record_failure("192.0.2.1", start);
    EXPECT_TRUE(lockout.record_failure("192.0.2.1", start));
    EXPECT_FALSE(lockout.record_failure("192.0.2.1", start + seconds(11)));
    EXPECT_FALSE(lockout.locked("192.0.2.1", start + seconds(11)));
    EXPECT_TRUE(lockout.record_failure("192.0.2.1", start + seconds(12)));
}

TEST(SipDeviceLockout, zero_failures_before_lockout_turns_the_lockout_off) {
    AuthLockout lockout(policy(0, seconds(60), seconds(300)));
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(lockout.record_failure("192.0.2.1", start));
    EXPECT_FALSE(lockout.locked("192.0.2.1", start));
}

TEST(SipDeviceLockout, without_the_lockout_failures_are_still_counted_to_slow_the_address_down_boundedly) {
    AuthLockout lockout(policy(0, seconds(60), seconds(300)));
    lockout.record_failure("192.0.2.1", start);
    lockout.record_failure("192.0.2.1", start + seconds(1));
    EXPECT_EQ(lockout.failures("192.0.2.1", start + seconds(1)), 2);
    for (int i = 0; i < 100; ++i) lockout.record_failure("192.0.2.1", start + seconds(2));
    EXPECT_EQ(lockout.failures("192.0.2.1", start + seconds(2)), 32);
    EXPECT_EQ(lockout.failures("192.0.2.1", start + seconds(63)), 0);
}

TEST(SipDeviceLockout, memory_stays_bounded_under_a_scan_from_many_addresses_and_keeps_the_locked_ones) {
    AuthLockout lockout(policy(2, seconds(60), seconds(300), 100));
    lockout.record_failure("198.51.100.1", start);
    lockout.record_failure("198.51.100.1", start);
    for (int i = 0; i < 1000; ++i)
        lockout.record_failure("203.0.113." + std::to_string(i), start + seconds(1));
    EXPECT_LE(lockout.tracked(), 100u);
    EXPECT_TRUE(lockout.locked("198.51.100.1", start + seconds(2)));
}
