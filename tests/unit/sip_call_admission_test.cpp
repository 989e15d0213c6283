// How many calls the service takes: at most so many at once and so many new ones a second; the refusal says
// which limit and when to try again; no limit set takes everything.
#include <gtest/gtest.h>

#include "sip/bridge/call_admission.hpp"

using namespace ff::sip;
using namespace std::chrono_literals;

TEST(CallAdmission, without_limits_every_call_is_taken) {
    CallAdmission admission({});
    const auto now = CallAdmission::Clock::now();
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(admission.admit(static_cast<std::size_t>(i), now).admitted);
}

TEST(CallAdmission, past_the_concurrent_limit_a_new_call_is_refused_until_one_ends) {
    CallAdmission admission({2, 0});
    const auto now = CallAdmission::Clock::now();
    EXPECT_TRUE(admission.admit(0, now).admitted);
    EXPECT_TRUE(admission.admit(1, now).admitted);
    const auto refused = admission.admit(2, now);
    EXPECT_FALSE(refused.admitted);
    EXPECT_GT(refused.retry_after.count(), 0);
    EXPECT_NE(refused.reason.find("MAX_CONCURRENT_CALLS"), std::string::npos) << refused.reason;
    EXPECT_TRUE(admission.admit(1, now).admitted) << "one ended: room again";
}

TEST(CallAdmission, past_the_rate_a_new_call_is_refused_until_the_next_second) {
    CallAdmission admission({0, 3});
    const auto start = CallAdmission::Clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(admission.admit(0, start + 100ms * i).admitted);
    const auto refused = admission.admit(0, start + 500ms);
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.retry_after, 1s);
    EXPECT_NE(refused.reason.find("MAX_CALLS_PER_SECOND"), std::string::npos) << refused.reason;
    EXPECT_TRUE(admission.admit(0, start + 1001ms).admitted) << "a new second";
    // A refused call does not count against the second.
    CallAdmission counted({0, 1});
    EXPECT_TRUE(counted.admit(0, start).admitted);
    EXPECT_FALSE(counted.admit(0, start + 10ms).admitted);
    EXPECT_TRUE(counted.admit(0, start + 1010ms).admitted);
    EXPECT_FALSE(counted.admit(0, start + 1020ms).admitted);
}
