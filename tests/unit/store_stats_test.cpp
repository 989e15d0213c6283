// Operator statistics on a known data set in a real SQLite file: every field, and the [from, until) range.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"
#include "store/storage.hpp"

using namespace ff;
using namespace ff::store;
using namespace std::chrono_literals;
using calls::TimePoint;

using ff::testing::TempDir;

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

class StoreStats : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = open_storage("sqlite:" + (dir_.path() / "calls.db").string());
        ASSERT_TRUE(opened) << opened.error().message;
        storage = std::move(opened).value();
    }

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

    TempDir dir_;
    std::unique_ptr<Storage> storage;
};

}  // namespace

TEST_F(StoreStats, known_data_set_gives_every_field) {
    add_known_data_set();
    const OperatorStats stats = storage->stats(StatsQuery{"1001", day(1), day(4)});
    EXPECT_EQ(stats.extension, "1001");
    EXPECT_EQ(stats.total_calls, 6);
    EXPECT_EQ(stats.inbound_calls, 4);
    EXPECT_EQ(stats.outbound_calls, 2);
    EXPECT_EQ(stats.answered_calls, 4);              // c1, c3, c4, c6
    EXPECT_EQ(stats.missed_calls, 1);                // c2; c5 was busy
    EXPECT_EQ(stats.total_duration, 125 + 60 + 30);  // floored per call; c6 has not ended
    EXPECT_EQ(stats.average_duration, 54);           // 215 / 4 = 53.75
    EXPECT_EQ(stats.orders_linked, 4);               // o1, o2, o3 (once), o4
    EXPECT_EQ(stats.calls_with_orders, 3);
    EXPECT_DOUBLE_EQ(stats.conversion_rate, 0.5);
}

TEST_F(StoreStats, other_operator_and_wider_range) {
    add_known_data_set();
    const OperatorStats other = storage->stats(StatsQuery{"1002", day(1), day(4)});
    EXPECT_EQ(other.total_calls, 2);
    EXPECT_EQ(other.inbound_calls, 1);
    EXPECT_EQ(other.outbound_calls, 1);
    EXPECT_EQ(other.answered_calls, 1);
    EXPECT_EQ(other.missed_calls, 1);
    EXPECT_EQ(other.total_duration, 45);
    EXPECT_EQ(other.average_duration, 45);
    EXPECT_EQ(other.orders_linked, 1);
    EXPECT_EQ(other.calls_with_orders, 1);
    EXPECT_DOUBLE_EQ(other.conversion_rate, 0.5);

    const OperatorStats wide = storage->stats(StatsQuery{"1001", day(1) - 1h, day(5)});
    EXPECT_EQ(wide.total_calls, 8);  // adds c7 and c8
    EXPECT_EQ(wide.answered_calls, 5);
    EXPECT_EQ(wide.missed_calls, 2);
    EXPECT_EQ(wide.total_duration, 315);
    EXPECT_EQ(wide.average_duration, 63);
    EXPECT_EQ(wide.orders_linked, 5);
    EXPECT_EQ(wide.calls_with_orders, 4);
    EXPECT_DOUBLE_EQ(wide.conversion_rate, 0.5);
}

TEST_F(StoreStats, average_rounds_half_up) {
    add({"a", "1003", calls::Direction::inbound, day(1), 1s, 10s, calls::EndReason::completed, {}});
    add({"b", "1003", calls::Direction::inbound, day(1) + 1h, 1s, 11s, calls::EndReason::completed, {}});
    const OperatorStats stats = storage->stats(StatsQuery{"1003", day(1), day(2)});
    EXPECT_EQ(stats.total_duration, 21);
    EXPECT_EQ(stats.average_duration, 11);  // 10.5
}

TEST_F(StoreStats, empty_range_is_all_zero) {
    add_known_data_set();
    const OperatorStats stats = storage->stats(StatsQuery{"1001", day(10), day(11)});
    EXPECT_EQ(stats.extension, "1001");
    EXPECT_EQ(stats.total_calls, 0);
    EXPECT_EQ(stats.answered_calls, 0);
    EXPECT_EQ(stats.average_duration, 0);
    EXPECT_EQ(stats.total_duration, 0);
    EXPECT_EQ(stats.orders_linked, 0);
    EXPECT_DOUBLE_EQ(stats.conversion_rate, 0.0);
    EXPECT_EQ(storage->stats(StatsQuery{"9999", day(1), day(30)}).total_calls, 0);
}
