// The callback list read from the call log on both backends: the calls the log keeps make the entries, one
// number's calls alone when asked, and only calls from the window on.
#include <gtest/gtest.h>

#include "store/storage.hpp"
#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using namespace ff::store;
using calls::TimePoint;

namespace {

TimePoint at_s(std::int64_t seconds) {
    return TimePoint{std::chrono::milliseconds{1'700'000'000'000 + seconds * 1000}};
}

calls::Call logged(std::string id, calls::Direction direction, std::string customer, std::int64_t start,
                   bool was_answered, calls::EndReason reason, bool ended = true) {
    calls::Call call;
    call.id = "00000000-0000-4000-8000-0000000000" + id;
    call.direction = direction;
    call.from = direction == calls::Direction::inbound ? customer : "1001";
    call.to = direction == calls::Direction::inbound ? "1001" : customer;
    call.extension = "1001";
    call.start_time = at_s(start);
    if (was_answered) call.answer_time = at_s(start + 5);
    call.status = ended ? calls::CallStatus::ended : calls::CallStatus::answered;
    if (ended) {
        call.end_time = at_s(start + 30);
        call.end_reason = reason;
    }
    return call;
}

class StoreCallbacks : public ff::testing::FreshStorage {
  protected:
    void log(const calls::Call& call) { ASSERT_TRUE(storage->record_call(call)); }
};

const std::string anna = "+79991110001";
const std::string boris = "+79991110002";

}  // namespace

TEST_P(StoreCallbacks, missed_calls_wait_until_an_answered_call_to_the_number) {
    using calls::Direction;
    using calls::EndReason;
    log(logged("01", Direction::inbound, anna, 100, false, EndReason::missed));
    log(logged("02", Direction::inbound, anna, 200, false, EndReason::cancelled));
    log(logged("03", Direction::outbound, anna, 300, true, EndReason::completed));
    log(logged("04", Direction::inbound, boris, 400, false, EndReason::busy));
    log(logged("05", Direction::outbound, boris, 500, false, EndReason::missed));  // no answer: still waiting

    const auto all = storage->callbacks(at_s(0));
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].phone, anna);
    EXPECT_EQ((*all)[0].attempts, 2);
    EXPECT_EQ((*all)[0].status, calls::CallbackStatus::called_back);
    EXPECT_EQ((*all)[0].resolved_at, at_s(305));
    EXPECT_EQ((*all)[1].phone, boris);
    EXPECT_EQ((*all)[1].status, calls::CallbackStatus::waiting);
    EXPECT_EQ((*all)[1].last_reason, EndReason::busy);

    const auto only_boris = storage->callbacks(at_s(0), boris);
    ASSERT_TRUE(only_boris);
    ASSERT_EQ(only_boris->size(), 1u);
    EXPECT_EQ((*only_boris)[0].phone, boris);

    const auto window = storage->callbacks(at_s(350));
    ASSERT_TRUE(window);
    ASSERT_EQ(window->size(), 1u);
    EXPECT_EQ((*window)[0].phone, boris);
}

TEST_P(StoreCallbacks, a_call_still_up_and_answered_already_ends_the_wait) {
    log(logged("01", calls::Direction::inbound, anna, 100, false, calls::EndReason::missed));
    log(logged("02", calls::Direction::outbound, anna, 200, true, calls::EndReason::none, false));
    const auto list = storage->callbacks(at_s(0), anna);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].status, calls::CallbackStatus::called_back);
    EXPECT_EQ((*list)[0].resolved_call_id, "00000000-0000-4000-8000-000000000002");
}

FF_STORAGE_BACKENDS(StoreCallbacks);

TEST_P(StoreCallbacks, a_queues_figures_come_from_the_calls_to_its_line_in_the_period) {
    auto to_queue = [](std::string id, std::int64_t start, bool was_answered, calls::EndReason reason) {
        calls::Call call = logged(std::move(id), calls::Direction::inbound, anna, start, was_answered, reason);
        call.to = "2000";
        return call;
    };
    log(to_queue("01", 100, true, calls::EndReason::completed));                // waited 5 s, talked 25 s
    log(to_queue("02", 200, false, calls::EndReason::missed));                  // gave up after 30 s
    log(to_queue("03", 5000, true, calls::EndReason::completed));               // after the period
    log(logged("04", calls::Direction::inbound, boris, 300, true, calls::EndReason::completed));  // another line
    const auto stats = storage->queue_stats("2000", at_s(0), at_s(1000), {});
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ(stats->offered, 2);
    EXPECT_EQ(stats->answered, 1);
    EXPECT_EQ(stats->abandoned, 1);
    EXPECT_DOUBLE_EQ(stats->longest_wait_seconds, 30);
    EXPECT_DOUBLE_EQ(stats->average_handle_seconds, 25);
}
