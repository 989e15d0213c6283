// The callback list built from the calls: a run of unanswered calls from one number is one entry, which the
// next answered call with that number ends (called back by an operator, or the customer got through), and
// the figures of a period.
#include <gtest/gtest.h>

#include "calls/callback_list.hpp"

using namespace ff::calls;

namespace {

TimePoint at_s(std::int64_t seconds) {
    return TimePoint{std::chrono::milliseconds{1'700'000'000'000 + seconds * 1000}};
}

const std::string customer = "+79991234567";

CallbackContact unanswered(std::string id, std::int64_t ended, EndReason reason = EndReason::missed,
                           std::string phone = customer) {
    CallbackContact contact;
    contact.call_id = std::move(id);
    contact.direction = Direction::inbound;
    contact.phone = std::move(phone);
    contact.extension = "1001";
    contact.start = at_s(ended - 20);
    contact.ended = at_s(ended);
    contact.end_reason = reason;
    return contact;
}

CallbackContact answered(std::string id, Direction direction, std::int64_t answer, std::string extension,
                         std::string phone = customer) {
    CallbackContact contact;
    contact.call_id = std::move(id);
    contact.direction = direction;
    contact.phone = std::move(phone);
    contact.extension = std::move(extension);
    contact.start = at_s(answer - 5);
    contact.answered = at_s(answer);
    return contact;
}

}  // namespace

TEST(CallbackList, unanswered_calls_in_a_row_are_one_entry_that_waits) {
    auto first = unanswered("a", 100);
    first.customer = Customer{"c-1", "Анна", customer};
    const auto list = build_callbacks({unanswered("b", 200, EndReason::busy), first});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].phone, customer);
    EXPECT_EQ(list[0].attempts, 2);
    EXPECT_EQ(list[0].first_missed, at_s(100));
    EXPECT_EQ(list[0].last_missed, at_s(200));
    EXPECT_EQ(list[0].last_call_id, "b");
    EXPECT_EQ(list[0].last_reason, EndReason::busy);
    EXPECT_EQ(list[0].status, CallbackStatus::waiting);
    ASSERT_TRUE(list[0].customer);
    EXPECT_EQ(list[0].customer->name, "Анна");
}

TEST(CallbackList, an_operators_answered_call_to_the_number_calls_it_back) {
    const auto list = build_callbacks({unanswered("a", 100), answered("back", Direction::outbound, 400, "1002")});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].status, CallbackStatus::called_back);
    EXPECT_EQ(list[0].resolved_at, at_s(400));
    EXPECT_EQ(list[0].resolved_by, "1002");
    EXPECT_EQ(list[0].resolved_call_id, "back");
}

TEST(CallbackList, the_customer_getting_through_again_ends_the_wait_too) {
    const auto list = build_callbacks({unanswered("a", 100), answered("again", Direction::inbound, 300, "1001")});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].status, CallbackStatus::called_again);
}

TEST(CallbackList, an_answered_call_before_the_miss_or_with_another_number_leaves_it_waiting) {
    const auto list = build_callbacks({answered("before", Direction::outbound, 50, "1001"), unanswered("a", 100),
                                       answered("other", Direction::outbound, 200, "1001", "+79990000000")});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].status, CallbackStatus::waiting);
}

TEST(CallbackList, a_miss_after_a_call_back_opens_a_new_entry) {
    const auto list = build_callbacks(
        {unanswered("a", 100), answered("back", Direction::outbound, 200, "1001"), unanswered("c", 300)});
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].status, CallbackStatus::called_back);
    EXPECT_EQ(list[1].status, CallbackStatus::waiting);
    EXPECT_EQ(list[1].attempts, 1);
}

TEST(CallbackList, transferred_ringing_unended_outbound_and_internal_calls_never_enter_it) {
    auto ringing = unanswered("ringing", 100);
    ringing.ended.reset();
    ringing.end_reason = EndReason::none;
    auto outbound = unanswered("out", 100);
    outbound.direction = Direction::outbound;
    const auto list = build_callbacks({unanswered("moved", 100, EndReason::transferred), ringing, outbound,
                                       unanswered("colleague", 100, EndReason::missed, "1002")});
    EXPECT_TRUE(list.empty());
    EXPECT_TRUE(is_internal_number("1002"));
    EXPECT_FALSE(is_internal_number("+79991234567"));
}

TEST(CallbackList, figures_of_a_period_count_its_entries_and_the_median_time_to_call_back) {
    const auto list = build_callbacks({
        unanswered("a", 100, EndReason::missed, "+79990000001"), answered("a-back", Direction::outbound, 160, "1001", "+79990000001"),
        unanswered("b", 100, EndReason::missed, "+79990000002"), answered("b-back", Direction::outbound, 400, "1001", "+79990000002"),
        unanswered("c", 100, EndReason::missed, "+79990000003"), answered("c-back", Direction::outbound, 1000, "1001", "+79990000003"),
        unanswered("d", 150, EndReason::cancelled, "+79990000004"), answered("d-again", Direction::inbound, 170, "1001", "+79990000004"),
        unanswered("e", 120, EndReason::busy, "+79990000005"),
        unanswered("late", 5000, EndReason::missed, "+79990000006"),  // after the period
    });
    const auto stats = summarize_callbacks(list, at_s(0), at_s(1000));
    EXPECT_EQ(stats.missed_callers, 5);
    EXPECT_EQ(stats.called_back, 3);
    EXPECT_EQ(stats.called_again, 1);
    EXPECT_EQ(stats.waiting, 1);
    ASSERT_TRUE(stats.median_seconds_to_call_back);
    EXPECT_DOUBLE_EQ(*stats.median_seconds_to_call_back, 300);  // of 60, 300 and 900
    EXPECT_EQ(stats.oldest_waiting, at_s(120));
}

TEST(CallbackList, a_period_without_calls_back_has_no_median) {
    const auto stats = summarize_callbacks(build_callbacks({unanswered("a", 100)}), at_s(0), at_s(1000));
    EXPECT_EQ(stats.missed_callers, 1);
    EXPECT_FALSE(stats.median_seconds_to_call_back);
}
