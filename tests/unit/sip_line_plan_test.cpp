// Settings changes turned into line steps: what re-registers, what only renames, what goes away.
#include <gtest/gtest.h>

#include "sip/lines/line_plan.hpp"

using namespace ff::sip;
using ff::config::PbxSettings;
using ff::config::SipTransport;
using ff::config::SipUser;

namespace {

PbxSettings pbx(std::string server = "10.0.0.5", std::uint16_t port = 5060,
                SipTransport transport = SipTransport::udp) {
    PbxSettings settings;
    settings.server = std::move(server);
    settings.port = port;
    settings.transport = transport;
    return settings;
}

const std::vector<SipUser> two_users{{"op1", "secret1", "1001", "Ann"}, {"op2", "secret2", "1002", "Bob"}};

std::vector<std::string> extensions(const std::vector<LineConfig>& lines) {
    std::vector<std::string> result;
    for (const auto& line : lines) result.push_back(line.extension());
    return result;
}

}  // namespace

TEST(SipLinePlan, lines_carry_the_pbx_of_the_settings) {
    const auto lines = lines_from(pbx("pbx.example", 5080, SipTransport::tcp), two_users);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].server, "pbx.example");
    EXPECT_EQ(lines[0].port, 5080);
    EXPECT_EQ(lines[0].transport, SipTransport::tcp);
    EXPECT_EQ(lines[1].user.username, "op2");
}

TEST(SipLinePlan, a_repeated_extension_keeps_its_first_account) {
    const auto lines = lines_from(pbx(), {{"op1", "a", "1001", "Ann"}, {"op9", "b", "1001", "Eve"}});
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].user.username, "op1");
}

TEST(SipLinePlan, nothing_changed_means_nothing_to_do) {
    const auto lines = lines_from(pbx(), two_users);
    EXPECT_TRUE(plan_lines(lines, lines).empty());
}

TEST(SipLinePlan, first_start_adds_every_line) {
    const auto plan = plan_lines({}, lines_from(pbx(), two_users));
    EXPECT_EQ(extensions(plan.added), (std::vector<std::string>{"1001", "1002"}));
    EXPECT_TRUE(plan.removed.empty());
}

TEST(SipLinePlan, a_deleted_user_is_removed) {
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), {two_users[0]}));
    EXPECT_EQ(plan.removed, std::vector<std::string>{"1002"});
    EXPECT_TRUE(plan.added.empty());
    EXPECT_TRUE(plan.reregistered.empty());
}

TEST(SipLinePlan, a_new_user_is_added) {
    auto users = two_users;
    users.push_back({"op3", "secret3", "1003", "Cid"});
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), users));
    EXPECT_EQ(extensions(plan.added), std::vector<std::string>{"1003"});
    EXPECT_TRUE(plan.removed.empty());
}

TEST(SipLinePlan, a_new_password_re_registers_only_that_line) {
    auto users = two_users;
    users[1].password = "changed";
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), users));
    EXPECT_EQ(extensions(plan.reregistered), std::vector<std::string>{"1002"});
    EXPECT_EQ(plan.reregistered[0].user.password, "changed");
    EXPECT_TRUE(plan.added.empty());
    EXPECT_TRUE(plan.removed.empty());
}

TEST(SipLinePlan, a_new_login_re_registers) {
    auto users = two_users;
    users[0].username = "ann";
    EXPECT_EQ(extensions(plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), users)).reregistered),
              std::vector<std::string>{"1001"});
}

TEST(SipLinePlan, another_pbx_server_port_or_transport_re_registers_every_line) {
    const auto before = lines_from(pbx(), two_users);
    for (const auto& changed :
         {pbx("10.0.0.6"), pbx("10.0.0.5", 5070), pbx("10.0.0.5", 5060, SipTransport::tls)}) {
        const auto plan = plan_lines(before, lines_from(changed, two_users));
        EXPECT_EQ(extensions(plan.reregistered), (std::vector<std::string>{"1001", "1002"}));
    }
}

TEST(SipLinePlan, a_new_display_name_only_relabels) {
    auto users = two_users;
    users[0].display_name = "Anna";
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), users));
    EXPECT_EQ(extensions(plan.relabelled), std::vector<std::string>{"1001"});
    EXPECT_TRUE(plan.reregistered.empty());
}

TEST(SipLinePlan, an_extension_moved_to_another_account_re_registers) {
    const std::vector<SipUser> moved{{"op9", "secret9", "1001", "Ann"}, two_users[1]};
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), moved));
    EXPECT_EQ(extensions(plan.reregistered), std::vector<std::string>{"1001"});
}

TEST(SipLinePlan, everything_at_once) {
    const std::vector<SipUser> after{{"op1", "secret1", "1001", "Anna"}, {"op3", "secret3", "1003", "Cid"}};
    const auto plan = plan_lines(lines_from(pbx(), two_users), lines_from(pbx(), after));
    EXPECT_EQ(plan.removed, std::vector<std::string>{"1002"});
    EXPECT_EQ(extensions(plan.added), std::vector<std::string>{"1003"});
    EXPECT_EQ(extensions(plan.relabelled), std::vector<std::string>{"1001"});
    EXPECT_TRUE(plan.reregistered.empty());
}
