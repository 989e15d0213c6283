// The operators' states over time on both backends: each new state closes the stretch before it, the time
// in each state is summed within a period (paused split by reason), and stretches a stopped service left open
// end at the next start.
#include <gtest/gtest.h>

#include "store/storage.hpp"
#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using namespace ff::store;
using calls::OperatorState;
using calls::TimePoint;

namespace {

TimePoint at_s(std::int64_t seconds) {
    return TimePoint{std::chrono::milliseconds{1'700'000'000'000 + seconds * 1000}};
}

class StoreOperatorStates : public ff::testing::FreshStorage {
  protected:
    void state(const std::string& extension, OperatorState state, std::int64_t second, std::string reason = {}) {
        ASSERT_TRUE(storage->record_operator_state({extension, state, std::move(reason), at_s(second)}));
    }
};

}  // namespace

TEST_P(StoreOperatorStates, time_in_each_state_is_summed_within_the_period_and_pauses_by_reason) {
    state("1001", OperatorState::available, 0);
    state("1001", OperatorState::oncall, 100);
    state("1001", OperatorState::wrapup, 160);
    state("1001", OperatorState::paused, 190, "обед");
    state("1001", OperatorState::available, 1990);
    state("1001", OperatorState::paused, 2000, "обучение");
    state("1002", OperatorState::paused, 0, "обед");  // another operator's time is not counted

    const auto whole = storage->operator_time("1001", at_s(0), at_s(10'000), at_s(2100));
    ASSERT_TRUE(whole) << whole.error().message;
    EXPECT_DOUBLE_EQ(whole->seconds.at("available"), 110);
    EXPECT_DOUBLE_EQ(whole->seconds.at("oncall"), 60);
    EXPECT_DOUBLE_EQ(whole->seconds.at("wrapup"), 30);
    EXPECT_DOUBLE_EQ(whole->seconds.at("paused"), 1800 + 100);  // the open pause counts up to "now"
    EXPECT_DOUBLE_EQ(whole->paused_by_reason.at("обед"), 1800);
    EXPECT_DOUBLE_EQ(whole->paused_by_reason.at("обучение"), 100);

    // A period that cuts stretches counts only their part inside it.
    const auto part = storage->operator_time("1001", at_s(150), at_s(200), at_s(2100));
    ASSERT_TRUE(part);
    EXPECT_DOUBLE_EQ(part->seconds.at("oncall"), 10);
    EXPECT_DOUBLE_EQ(part->seconds.at("wrapup"), 30);
    EXPECT_DOUBLE_EQ(part->seconds.at("paused"), 10);
    EXPECT_FALSE(part->seconds.contains("available"));
}

TEST_P(StoreOperatorStates, stretches_left_open_by_a_stopped_service_end_at_the_next_start) {
    state("1001", OperatorState::available, 0);
    ASSERT_TRUE(storage->close_operator_states(at_s(50)));
    const auto time = storage->operator_time("1001", at_s(0), at_s(1000), at_s(900));
    ASSERT_TRUE(time);
    EXPECT_DOUBLE_EQ(time->seconds.at("available"), 50);
}

FF_STORAGE_BACKENDS(StoreOperatorStates);
