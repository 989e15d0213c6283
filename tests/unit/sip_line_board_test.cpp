// Status aggregation: connected flips only with the first and the last registered line; counts stay true.
#include <gtest/gtest.h>

#include "sip/lines/line_board.hpp"

using namespace ff::sip;
using Kind = ff::calls::TelephonyEvent::Kind;

namespace {

ff::calls::LineState line(const std::string& extension, bool registered, std::string detail = "") {
    ff::calls::LineState state;
    state.extension = extension;
    state.username = extension;
    state.display_name = "Operator " + extension;
    state.registered = registered;
    state.detail = detail.empty() ? (registered ? "registered" : "registering") : detail;
    return state;
}

std::vector<Kind> kinds(const LineBoard::Events& events) {
    std::vector<Kind> result;
    for (const auto& event : events) result.push_back(event.kind);
    return result;
}

}  // namespace

TEST(SipLineBoard, new_line_not_registered_is_reported_without_connecting) {
    LineBoard board;
    const auto events = board.update(line("1001", false));
    EXPECT_EQ(kinds(events), std::vector<Kind>{Kind::line_changed});
    EXPECT_EQ(events[0].line.extension, "1001");
    EXPECT_FALSE(board.status().connected);
    EXPECT_EQ(board.status().registered_users, 0);
}

TEST(SipLineBoard, first_registered_line_connects) {
    LineBoard board;
    board.update(line("1001", false));
    const auto events = board.update(line("1001", true));
    EXPECT_EQ(kinds(events), (std::vector<Kind>{Kind::line_changed, Kind::connected}));
    EXPECT_TRUE(events[1].status.connected);
    EXPECT_EQ(events[1].status.registered_users, 1);
}

TEST(SipLineBoard, second_registered_line_only_counts) {
    LineBoard board;
    board.update(line("1001", true));
    const auto events = board.update(line("1002", true));
    EXPECT_EQ(kinds(events), std::vector<Kind>{Kind::line_changed});
    EXPECT_EQ(events[0].status.registered_users, 2);
    EXPECT_EQ(board.status().lines.size(), 2u);
}

TEST(SipLineBoard, unchanged_update_reports_nothing) {
    LineBoard board;
    board.update(line("1001", true));
    EXPECT_TRUE(board.update(line("1001", true)).empty());
}

TEST(SipLineBoard, new_detail_alone_is_a_change) {
    LineBoard board;
    board.update(line("1001", false, "403 Forbidden: wrong password?"));
    const auto events = board.update(line("1001", false, "408 no answer from PBX"));
    EXPECT_EQ(kinds(events), std::vector<Kind>{Kind::line_changed});
    EXPECT_EQ(events[0].line.detail, "408 no answer from PBX");
}

TEST(SipLineBoard, losing_one_of_two_lines_stays_connected) {
    LineBoard board;
    board.update(line("1001", true));
    board.update(line("1002", true));
    const auto events = board.update(line("1002", false, "408 no answer from PBX"));
    EXPECT_EQ(kinds(events), std::vector<Kind>{Kind::line_changed});
    EXPECT_TRUE(board.status().connected);
    EXPECT_EQ(board.status().registered_users, 1);
}

TEST(SipLineBoard, losing_the_last_line_disconnects) {
    LineBoard board;
    board.update(line("1001", true));
    board.update(line("1002", false));
    const auto events = board.update(line("1001", false, "408 no answer from PBX"));
    EXPECT_EQ(kinds(events), (std::vector<Kind>{Kind::line_changed, Kind::disconnected}));
    EXPECT_FALSE(events[1].status.connected);
    EXPECT_EQ(events[1].status.registered_users, 0);
}

TEST(SipLineBoard, reconnecting_after_an_outage_connects_again) {
    LineBoard board;
    board.update(line("1001", true));
    board.update(line("1001", false, "503 PBX unreachable (Connection refused)"));
    const auto events = board.update(line("1001", true));
    EXPECT_EQ(kinds(events), (std::vector<Kind>{Kind::line_changed, Kind::connected}));
}

TEST(SipLineBoard, removing_the_last_registered_line_reports_it_removed_and_disconnects) {
    LineBoard board;
    board.update(line("1001", true));
    const auto events = board.remove("1001");
    EXPECT_EQ(kinds(events), (std::vector<Kind>{Kind::line_changed, Kind::disconnected}));
    EXPECT_EQ(events[0].line.extension, "1001");
    EXPECT_FALSE(events[0].line.registered);
    EXPECT_EQ(events[0].line.detail, "removed");
    EXPECT_TRUE(board.status().lines.empty());
}

TEST(SipLineBoard, removing_an_unknown_line_reports_nothing) {
    LineBoard board;
    board.update(line("1001", true));
    EXPECT_TRUE(board.remove("1009").empty());
}

TEST(SipLineBoard, lines_keep_the_order_they_were_added_in) {
    LineBoard board;
    board.update(line("1002", false));
    board.update(line("1001", false));
    board.update(line("1002", true));
    const auto status = board.status();
    ASSERT_EQ(status.lines.size(), 2u);
    EXPECT_EQ(status.lines[0].extension, "1002");
    EXPECT_EQ(status.lines[1].extension, "1001");
    ASSERT_NE(board.find("1001"), nullptr);
    EXPECT_EQ(board.find("1003"), nullptr);
}
