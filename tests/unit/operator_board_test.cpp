// The operator board: each state follows from the choice, the phones, the calls and the wrap-up, and every
// change is published once.
#include "calls/operator_board.hpp"

#include <gtest/gtest.h>

using namespace ff::calls;
using namespace std::chrono_literals;

namespace {

struct BoardTest : ::testing::Test {
    BoardTest() : board(options(), [this](const OperatorStatus& status) { published.push_back(status); }) {}

    static OperatorBoardOptions options() {
        OperatorBoardOptions options;
        options.wrapup = 10s;
        options.pause_reasons = {"обед", "обучение"};
        return options;
    }

    void phone(const std::string& extension, bool registered) {
        LineState line;
        line.extension = extension;
        line.device_registered = registered;
        board.on_event(TelephonyEvent{TelephonyEvent::Kind::line_changed, {}, line}, now);
    }

    void call(const std::string& id, const std::string& extension, CallStatus status, const std::string& previous = {}) {
        Call call;
        call.id = id;
        call.extension = extension;
        call.status = status;
        board.on_event(CallEvent{CallEventKind::updated, call, previous}, now);
    }

    OperatorState state(const std::string& extension) const { return board.of(extension).state; }

    TimePoint now = TimePoint(std::chrono::milliseconds(1'000'000));
    std::vector<OperatorStatus> published;
    OperatorBoard board;
};

}  // namespace

TEST_F(BoardTest, an_operator_without_a_phone_is_offline_and_available_once_it_registers) {
    EXPECT_EQ(state("1001"), OperatorState::offline);
    phone("1001", true);
    EXPECT_EQ(state("1001"), OperatorState::available);
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0].extension, "1001");
    EXPECT_EQ(published[0].since, now);
    phone("1001", true);  // a refresh changes nothing
    EXPECT_EQ(published.size(), 1u);
}

TEST_F(BoardTest, a_pause_needs_a_known_reason_and_holds_until_available_is_chosen) {
    phone("1001", true);
    EXPECT_FALSE(board.choose("1001", OperatorState::paused, "курю", now));
    EXPECT_FALSE(board.choose("1001", OperatorState::oncall, "", now));
    const auto paused = board.choose("1001", OperatorState::paused, "обед", now);
    ASSERT_TRUE(paused);
    EXPECT_EQ(paused->state, OperatorState::paused);
    EXPECT_EQ(paused->reason, "обед");
    EXPECT_TRUE(board.refuses_calls("1001"));
    now += 5min;
    ASSERT_TRUE(board.choose("1001", OperatorState::available, "", now));
    EXPECT_EQ(state("1001"), OperatorState::available);
    EXPECT_FALSE(board.refuses_calls("1001"));
    EXPECT_EQ(published.back().since, now);
}

TEST_F(BoardTest, an_answered_call_is_on_a_call_then_wrap_up_ends_by_itself) {
    phone("1001", true);
    call("c1", "1001", CallStatus::ringing);
    EXPECT_EQ(state("1001"), OperatorState::available);  // ringing is not yet a call
    call("c1", "1001", CallStatus::answered);
    EXPECT_EQ(state("1001"), OperatorState::oncall);
    call("c1", "1001", CallStatus::held);
    EXPECT_EQ(state("1001"), OperatorState::oncall);
    now += 1min;
    call("c1", "1001", CallStatus::ended);
    EXPECT_EQ(state("1001"), OperatorState::wrapup);
    EXPECT_TRUE(board.refuses_calls("1001"));
    EXPECT_EQ(board.tick(now + 9s), now + 10s);
    EXPECT_EQ(state("1001"), OperatorState::wrapup);
    EXPECT_EQ(board.tick(now + 10s), std::nullopt);
    EXPECT_EQ(state("1001"), OperatorState::available);
}

TEST_F(BoardTest, choosing_available_ends_the_wrap_up_early_and_a_pause_returns_after_it) {
    phone("1001", true);
    ASSERT_TRUE(board.choose("1001", OperatorState::paused, "обучение", now));
    call("c1", "1001", CallStatus::answered);  // an outbound call while paused
    EXPECT_EQ(state("1001"), OperatorState::oncall);
    call("c1", "1001", CallStatus::ended);
    EXPECT_EQ(state("1001"), OperatorState::wrapup);
    board.tick(now + 10s);
    EXPECT_EQ(state("1001"), OperatorState::paused);
    EXPECT_EQ(board.of("1001").reason, "обучение");

    call("c2", "1001", CallStatus::answered);
    call("c2", "1001", CallStatus::ended);
    ASSERT_TRUE(board.choose("1001", OperatorState::available, "", now));
    EXPECT_EQ(state("1001"), OperatorState::available);
}

TEST_F(BoardTest, a_transfer_moves_the_call_without_wrap_up_for_the_one_who_handed_it_on) {
    phone("1001", true);
    phone("1002", true);
    call("c1", "1001", CallStatus::answered);
    call("c1", "1002", CallStatus::answered, "1001");
    EXPECT_EQ(state("1001"), OperatorState::available);
    EXPECT_EQ(state("1002"), OperatorState::oncall);
}

TEST_F(BoardTest, a_call_outranks_a_phone_that_went_away) {
    phone("1001", true);
    call("c1", "1001", CallStatus::answered);
    phone("1001", false);
    EXPECT_EQ(state("1001"), OperatorState::oncall);
    call("c1", "1001", CallStatus::ended);
    EXPECT_EQ(state("1001"), OperatorState::offline);
    EXPECT_FALSE(board.refuses_calls("1001"));  // offline is not in the default BUSY_WHEN
}

TEST_F(BoardTest, new_pause_reasons_apply_to_the_next_pause_and_a_paused_operator_keeps_its_own) {
    phone("1001", true);
    ASSERT_TRUE(board.choose("1001", OperatorState::paused, "обед", now));
    board.set_pause_reasons({"техника"});
    EXPECT_EQ(board.pause_reasons(), std::vector<std::string>{"техника"});
    EXPECT_EQ(board.of("1001").reason, "обед");
    EXPECT_FALSE(board.choose("1002", OperatorState::paused, "обед", now));
    EXPECT_TRUE(board.choose("1002", OperatorState::paused, "техника", now));
}

TEST(OperatorStates, names_read_back) {
    for (auto state : {OperatorState::available, OperatorState::paused, OperatorState::wrapup, OperatorState::oncall,
                       OperatorState::offline})
        EXPECT_EQ(parse_operator_state(to_string(state)), state);
    EXPECT_EQ(parse_operator_state("busy"), std::nullopt);
}
