// Operator statistics on a known data set, on both backends: every field, and the [from, until) range.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"
#include "store/storage.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;
using namespace std::chrono_literals;
using calls::TimePoint;

using ff::testing::Backend;
using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

TimePoint day(int day_of_november) {
    using namespace std::chrono;
    return time_point_cast<milliseconds>(sys_days{year{2025} / November / day_of_november});
}

struct Spec {
    std::string id;
    std::string extension;
    calls::Direction direction;
    TimePoint start;
    std::optional<std::chrono::milliseconds> answer_after;  // nullopt: never answered
    std::optional<std::chrono::milliseconds> talk;          // nullopt: still up (when answered)
    calls::EndReason reason;
    std::vector<std::string> orders;
};

class StoreStats : public ff::testing::FreshStorage {
  protected:
    void add(const Spec& spec) {
        calls::Call call;
        call.id = spec.id;
        call.extension = spec.extension;
        call.direction = spec.direction;
        call.from = spec.direction == calls::Direction::inbound ? "+79990000000" : spec.extension;
        call.to = spec.direction == calls::Direction::inbound ? spec.extension : "+79990000000";
        call.start_time = spec.start;
        if (spec.answer_after) call.answer_time = spec.start + *spec.answer_after;
        const bool ended = spec.reason != calls::EndReason::none;
        if (ended) {
            call.status = calls::CallStatus::ended;
            call.end_reason = spec.reason;
            call.end_time = call.answer_time ? *call.answer_time + spec.talk.value_or(0ms) : spec.start + 20s;
        } else {
            call.status = call.answer_time ? calls::CallStatus::answered : calls::CallStatus::ringing;
        }
        ASSERT_TRUE(storage->record_call(call));
        for (const auto& order : spec.orders) ASSERT_TRUE(storage->link_order(spec.id, order));
    }

    // Two operators over several days; the range under test is [Nov 1, Nov 4) for 1001.
    void add_known_data_set() {
        using calls::Direction;
        using calls::EndReason;
        const auto in = Direction::inbound;
        const auto out = Direction::outbound;
        // In range for 1001: 6 calls.
        add({"c1", "1001", in, day(1), 5s, 125'900ms, EndReason::completed, {"o1", "o2"}});  // exactly at
                                                                                             // from
        add({"c2", "1001", in, day(1) + 11h, std::nullopt, std::nullopt, EndReason::missed, {}});
        add({"c3", "1001", out, day(2) + 9h, 8s, 60'400ms, EndReason::completed, {"o3", "o3"}});  // linked
                                                                                                  // twice
        add({"c4", "1001", in, day(4) - 1ms, 2s, 30s, EndReason::completed, {}});  // last millisecond in
                                                                                   // range
        add({"c5", "1001", out, day(2) + 12h, std::nullopt, std::nullopt, EndReason::busy, {}});
        add({"c6", "1001", in, day(3) + 15h, 1s, std::nullopt, EndReason::none, {"o4"}});  // still talking
        // Outside the range, or another operator.
        add({"c7", "1001", in, day(4), 1s, 100s, EndReason::completed, {"o5"}});  // exactly at until
        add({"c8", "1001", in, day(1) - 1ms, std::nullopt, std::nullopt, EndReason::missed, {}});
        add({"c9", "1002", in, day(2) + 10h, 3s, 45s, EndReason::completed, {"o6"}});
        add({"c10", "1002", out, day(1) + 8h, std::nullopt, std::nullopt, EndReason::missed, {}});
    }
};

// Field by field, so that a failure names the field.
void expect_stats(const OperatorStats& actual, const OperatorStats& expected) {
    EXPECT_EQ(actual.extension, expected.extension);
    EXPECT_EQ(actual.total_calls, expected.total_calls);
    EXPECT_EQ(actual.inbound_calls, expected.inbound_calls);
    EXPECT_EQ(actual.outbound_calls, expected.outbound_calls);
    EXPECT_EQ(actual.answered_calls, expected.answered_calls);
    EXPECT_EQ(actual.missed_calls, expected.missed_calls);
    EXPECT_EQ(actual.average_duration, expected.average_duration);
    EXPECT_EQ(actual.total_duration, expected.total_duration);
    EXPECT_EQ(actual.orders_linked, expected.orders_linked);
    EXPECT_EQ(actual.calls_with_orders, expected.calls_with_orders);
    EXPECT_DOUBLE_EQ(actual.conversion_rate, expected.conversion_rate);
}

}  // namespace

TEST_P(StoreStats, known_data_set_gives_every_field) {
    add_known_data_set();
    expect_stats(read_value(storage->stats(StatsQuery{"1001", day(1), day(4)})),
                 {.extension = "1001",
                  .total_calls = 6,
                  .inbound_calls = 4,
                  .outbound_calls = 2,
                  .answered_calls = 4,            // c1, c3, c4, c6
                  .missed_calls = 1,              // c2; c5 was busy
                  .average_duration = 54,         // 215 / 4 = 53.75
                  .total_duration = 125 + 60 + 30,  // floored per call; c6 has not ended
                  .orders_linked = 4,             // o1, o2, o3 (once), o4
                  .calls_with_orders = 3,
                  .conversion_rate = 0.5});
}

TEST_P(StoreStats, other_operator_and_wider_range) {
    add_known_data_set();
    expect_stats(read_value(storage->stats(StatsQuery{"1002", day(1), day(4)})),
                 {.extension = "1002",
                  .total_calls = 2,
                  .inbound_calls = 1,
                  .outbound_calls = 1,
                  .answered_calls = 1,
                  .missed_calls = 1,
                  .average_duration = 45,
                  .total_duration = 45,
                  .orders_linked = 1,
                  .calls_with_orders = 1,
                  .conversion_rate = 0.5});
    expect_stats(read_value(storage->stats(StatsQuery{"1001", day(1) - 1h, day(5)})),
                 {.extension = "1001",
                  .total_calls = 8,  // adds c7 and c8
                  .inbound_calls = 6,
                  .outbound_calls = 2,
                  .answered_calls = 5,
                  .missed_calls = 2,
                  .average_duration = 63,
                  .total_duration = 315,
                  .orders_linked = 5,
                  .calls_with_orders = 4,
                  .conversion_rate = 0.5});
}

TEST_P(StoreStats, average_rounds_half_up) {
    add({"a", "1003", calls::Direction::inbound, day(1), 1s, 10s, calls::EndReason::completed, {}});
    add({"b", "1003", calls::Direction::inbound, day(1) + 1h, 1s, 11s, calls::EndReason::completed, {}});
    const OperatorStats stats = read_value(storage->stats(StatsQuery{"1003", day(1), day(2)}));
    EXPECT_EQ(stats.total_duration, 21);
    EXPECT_EQ(stats.average_duration, 11);  // 10.5
}

TEST_P(StoreStats, empty_range_is_all_zero) {
    add_known_data_set();
    expect_stats(read_value(storage->stats(StatsQuery{"1001", day(10), day(11)})), {.extension = "1001"});
    EXPECT_EQ(read_value(storage->stats(StatsQuery{"9999", day(1), day(30)})).total_calls, 0);
}

// 1001 takes an inbound call, talks 6 s and transfers it to 1002, who talks 30 s; an order is linked while
// each has it, and one after the call ended (it stays with the last operator).
calls::Call transferred_call() {
    using calls::OperatorTurn;
    calls::Call call;
    call.id = "t1";
    call.direction = calls::Direction::inbound;
    call.from = "+79990000000";
    call.to = "1001";
    call.extension = "1002";
    call.start_time = day(1) + 10h;
    call.answer_time = call.start_time + 2s;
    call.end_time = call.start_time + 40s;
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.operators = {OperatorTurn{"1001", call.start_time, call.start_time + 2s, call.start_time + 8s, "1002"},
                      OperatorTurn{"1002", call.start_time + 8s, call.start_time + 10s, call.start_time + 40s, ""}};
    call.orders = {{"during-1001", call.start_time + 5s},
                   {"during-1002", call.start_time + 20s},
                   {"after-the-end", call.start_time + 1h}};
    return call;
}

TEST_P(StoreStats, a_transferred_call_counts_for_each_operator_who_had_it) {
    ASSERT_TRUE(storage->import_calls({transferred_call()}));
    expect_stats(read_value(storage->stats(StatsQuery{"1001", day(1), day(2)})),
                 {.extension = "1001",
                  .total_calls = 1,
                  .inbound_calls = 1,
                  .answered_calls = 1,
                  .average_duration = 6,
                  .total_duration = 6,
                  .orders_linked = 1,
                  .calls_with_orders = 1,
                  .conversion_rate = 1.0});
    expect_stats(read_value(storage->stats(StatsQuery{"1002", day(1), day(2)})),
                 {.extension = "1002",
                  .total_calls = 1,
                  .inbound_calls = 1,
                  .answered_calls = 1,
                  .average_duration = 30,
                  .total_duration = 30,
                  .orders_linked = 2,
                  .calls_with_orders = 1,
                  .conversion_rate = 1.0});
}

TEST_P(StoreStats, the_log_keeps_the_chain_and_each_operator_finds_the_call) {
    ASSERT_TRUE(storage->import_calls({transferred_call()}));
    const auto found = read_value(storage->find_call("t1"));
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->operators.size(), 2u);
    EXPECT_EQ(found->operators[0].extension, "1001");
    EXPECT_EQ(found->operators[0].transferred_to, "1002");
    EXPECT_EQ(found->operators[0].until, found->start_time + 8s);
    EXPECT_EQ(found->operators[1].extension, "1002");
    EXPECT_EQ(found->operators[1].answered_at, found->start_time + 10s);
    EXPECT_EQ(found->operators[1].transferred_to, "");
    for (const std::string extension : {"1001", "1002"}) {
        const CallPage page = read_value(storage->list_calls(CallQuery{.extension = extension, .phone = std::nullopt}));
        ASSERT_EQ(page.total, 1) << extension;
        EXPECT_EQ(page.calls.front().operators.size(), 2u) << extension;
        EXPECT_EQ(read_value(storage->list_calls(CallQuery{.extension = extension, .phone = "+79990000000"})).total, 1)
            << extension;
    }
    EXPECT_EQ(read_value(storage->list_calls(CallQuery{.extension = "1003", .phone = std::nullopt})).total, 0);
}

TEST_P(StoreStats, a_call_logged_without_turns_has_the_one_its_extension_implies) {
    add({"plain", "1001", calls::Direction::inbound, day(1), 1s, 10s, calls::EndReason::completed, {}});
    const auto found = read_value(storage->find_call("plain"));
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->operators.size(), 1u);
    EXPECT_EQ(found->operators[0].extension, "1001");
    EXPECT_EQ(found->operators[0].talk_seconds(calls::now_ms()), 10);
}

TEST_P(StoreStats, calls_where_one_side_was_not_heard_are_counted) {
    add({"a1", "1001", calls::Direction::inbound, day(1), 1s, 30s, calls::EndReason::completed, {}});
    add({"a2", "1001", calls::Direction::inbound, day(2), 1s, 30s, calls::EndReason::completed, {}});
    const auto report = [](std::uint64_t customer_packets) {
        calls::MediaReport media;
        media.customer_to_operator.packets = customer_packets;
        media.operator_to_customer.packets = 1500;
        media.assess(true);
        return media;
    };
    for (const auto& [id, customer_packets] : {std::pair{"a1", 0}, std::pair{"a2", 1500}}) {
        auto call = read_value(storage->find_call(id));
        ASSERT_TRUE(call);
        call->media = report(customer_packets);
        ASSERT_TRUE(storage->record_call(*call));
    }
    const auto stats = read_value(storage->stats(StatsQuery{"1001", day(1), day(4)}));
    EXPECT_EQ(stats.total_calls, 2);
    EXPECT_EQ(stats.one_way_audio_calls, 1);
    EXPECT_EQ(read_value(storage->stats(StatsQuery{"1002", day(1), day(4)})).one_way_audio_calls, 0);
}

FF_STORAGE_BACKENDS(StoreStats);
