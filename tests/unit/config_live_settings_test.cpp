// The settings in effect: database values override the environment; changes reach subscribers outside the
// lock.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "config/live_settings.hpp"

using namespace ff::config;

namespace {

std::vector<SipUser> two_users() {
    return {{"operator1", "pass123", "1001", "Иванов И.И."}, {"operator2", "pass456", "1002", "Петров П.П."}};
}

}  // namespace

TEST(ConfigLiveSettings, environment_values_when_nothing_is_stored) {
    ServiceConfig environment;
    environment.pbx.server = "sip.example.com";
    environment.users = two_users();
    const auto live = LiveSettings::from(environment, std::nullopt, std::nullopt);
    EXPECT_EQ(live->pbx().server, "sip.example.com");
    EXPECT_EQ(live->users().size(), 2u);
}

TEST(ConfigLiveSettings, stored_values_override_the_environment) {
    ServiceConfig environment;
    environment.pbx.server = "sip.example.com";
    environment.users = two_users();
    PbxSettings stored;
    stored.server = "10.0.0.5";
    stored.transport = SipTransport::tcp;
    const auto live = LiveSettings::from(environment, stored, std::vector<SipUser>{});
    EXPECT_EQ(live->pbx().server, "10.0.0.5");
    EXPECT_EQ(live->pbx().transport, SipTransport::tcp);
    EXPECT_TRUE(live->users().empty());  // a saved empty list is the whole list
}

TEST(ConfigLiveSettings, find_user_by_extension) {
    LiveSettings live(PbxSettings{}, two_users());
    const auto found = live.find_user("1002");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->display_name, "Петров П.П.");
    EXPECT_FALSE(live.find_user("1003"));
}

TEST(ConfigLiveSettings, subscribers_are_told_after_a_change_and_may_read_it) {
    LiveSettings live(PbxSettings{}, {});
    std::vector<std::string> seen;
    live.on_change([&] { seen.push_back(live.pbx().server + "/" + std::to_string(live.users().size())); });
    PbxSettings pbx;
    pbx.server = "pbx.local";
    live.replace_pbx(pbx);
    live.replace_users(two_users());
    EXPECT_EQ(seen, (std::vector<std::string>{"pbx.local/0", "pbx.local/2"}));
}

TEST(ConfigLiveSettings, replacing_with_equal_values_notifies_nobody) {
    LiveSettings live(PbxSettings{}, two_users());
    int calls = 0;
    live.on_change([&] { ++calls; });
    live.replace_pbx(PbxSettings{});
    live.replace_users(two_users());
    EXPECT_EQ(calls, 0);
}

TEST(ConfigLiveSettings, unsubscribed_handler_is_not_called) {
    LiveSettings live(PbxSettings{}, {});
    int first = 0;
    int second = 0;
    const auto subscription = live.on_change([&] { ++first; });
    live.on_change([&] { ++second; });
    live.unsubscribe(subscription);
    live.replace_users(two_users());
    EXPECT_EQ(first, 0);
    EXPECT_EQ(second, 1);
}

TEST(ConfigLiveSettings, concurrent_readers_and_writers_see_whole_values) {
    LiveSettings live(PbxSettings{}, two_users());
    std::atomic<int> notified{0};
    live.on_change([&] { ++notified; });
    std::atomic<bool> torn{false};
    std::thread writer([&] {
        for (int i = 0; i < 500; ++i) {
            PbxSettings pbx;
            pbx.port = static_cast<std::uint16_t>(5060 + i % 2);
            pbx.server = pbx.port == 5060 ? "even.example" : "odd.example";
            live.replace_pbx(pbx);
        }
    });
    std::thread reader([&] {
        for (int i = 0; i < 500; ++i) {
            const auto pbx = live.pbx();
            if (pbx.port == 5061 && pbx.server != "odd.example") torn = true;
            if (pbx.port == 5060 && !pbx.server.empty() && pbx.server != "even.example") torn = true;
        }
    });
    writer.join();
    reader.join();
    EXPECT_FALSE(torn.load());
    EXPECT_EQ(notified.load(), 500);
}
