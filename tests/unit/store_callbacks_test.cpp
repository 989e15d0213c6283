// The callback list read from the call log on both backends: the calls the log keeps make the entries, one
// call's entry from its number's calls since the last answered one, and only calls from the window on.
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

    const auto only_boris = storage->callbacks_around(boris, at_s(0), at_s(400));
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
    const auto list = storage->callbacks_around(anna, at_s(0), at_s(200));
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].status, calls::CallbackStatus::called_back);
    EXPECT_EQ((*list)[0].resolved_call_id, "00000000-0000-4000-8000-000000000002");
}

TEST_P(StoreCallbacks, a_calls_entry_is_read_from_the_numbers_last_answered_call_before_it_on) {
    using calls::Direction;
    using calls::EndReason;
    log(logged("01", Direction::inbound, anna, 100, false, EndReason::missed));
    log(logged("02", Direction::inbound, anna, 200, true, EndReason::completed));  // called again: resolves 01
    log(logged("03", Direction::inbound, anna, 300, false, EndReason::missed));
    log(logged("04", Direction::inbound, anna, 400, false, EndReason::busy));
    log(logged("05", Direction::inbound, boris, 450, false, EndReason::missed));
    log(logged("06", Direction::outbound, anna, 500, true, EndReason::completed));  // called back: resolves 03, 04

    // Missed call 04: the run 03, 04 that 06 resolved later; the run 01 that 02 resolved is not read.
    const auto missed = storage->callbacks_around(anna, at_s(0), at_s(400));
    ASSERT_TRUE(missed) << missed.error().message;
    ASSERT_EQ(missed->size(), 1u);
    EXPECT_EQ((*missed)[0].attempts, 2);
    EXPECT_EQ((*missed)[0].last_call_id, "00000000-0000-4000-8000-000000000004");
    EXPECT_EQ((*missed)[0].resolved_call_id, "00000000-0000-4000-8000-000000000006");

    // Answered call 02: the run it resolved, and the one after it (02 does not bound its own lookup).
    const auto answered = storage->callbacks_around(anna, at_s(0), at_s(200));
    ASSERT_TRUE(answered);
    ASSERT_EQ(answered->size(), 2u);
    EXPECT_EQ((*answered)[0].resolved_call_id, "00000000-0000-4000-8000-000000000002");
    EXPECT_EQ((*answered)[0].status, calls::CallbackStatus::called_again);

    // The window still bounds the lookup: from 250 on, 01 and 02 are out of it either way.
    const auto windowed = storage->callbacks_around(anna, at_s(250), at_s(300));
    ASSERT_TRUE(windowed);
    ASSERT_EQ(windowed->size(), 1u);
    EXPECT_EQ((*windowed)[0].attempts, 2);
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
