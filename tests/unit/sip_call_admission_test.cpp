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

TEST(CallAdmission, a_sip_thread_past_its_delay_sheds_new_calls_until_back_under_half_of_it) {
    CallAdmission admission({0, 0, 100ms});
    const auto now = CallAdmission::Clock::now();
    admission.observe_delay(40ms);
    EXPECT_TRUE(admission.admit(0, now).admitted);
    admission.observe_delay(150ms);
    EXPECT_TRUE(admission.shedding());
    const auto refused = admission.admit(0, now);
    EXPECT_FALSE(refused.admitted);
    EXPECT_GT(refused.retry_after.count(), 0);
    EXPECT_NE(refused.reason.find("150 ms late"), std::string::npos) << refused.reason;
    EXPECT_NE(refused.reason.find("SIP_MAX_DELAY_MS"), std::string::npos) << refused.reason;
    admission.observe_delay(80ms);
    EXPECT_FALSE(admission.admit(0, now).admitted) << "under the limit but not under half of it: still shedding";
    admission.observe_delay(50ms);
    EXPECT_FALSE(admission.shedding());
    EXPECT_TRUE(admission.admit(0, now).admitted);
}

TEST(CallAdmission, without_a_delay_limit_a_late_thread_sheds_nothing) {
    CallAdmission admission({});
    admission.observe_delay(5000ms);
    EXPECT_FALSE(admission.shedding());
    EXPECT_TRUE(admission.admit(0, CallAdmission::Clock::now()).admitted);
}
