// The rtpengine the service starts itself: its command line, start-up, restart after a crash, stop.
#include "media/rtpengine_process.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>

#include "support/media_rtpengine.hpp"

using namespace ff::media;
using std::chrono::milliseconds;

namespace {

bool has(const std::vector<std::string>& arguments, const std::string& wanted) {
    return std::find(arguments.begin(), arguments.end(), wanted) != arguments.end();
}

}  // namespace

TEST(MediaRtpengineProcess, command_line_is_userspace_without_the_system_config) {
    RtpengineProcessSettings settings;
    settings.address = "10.0.0.5";
    settings.advertised_address = "203.0.113.7";
    settings.port_min = 6000;
    settings.port_max = 6100;
    settings.recording_dir = "/var/lib/ff/recordings";
    settings.key_log_address = "127.0.0.1:40123";
    const auto arguments = rtpengine_arguments(settings, "/usr/bin/rtpengine", 23000);
    EXPECT_EQ(arguments.front(), "/usr/bin/rtpengine");
    EXPECT_TRUE(has(arguments, "--config-file=none"));
    EXPECT_TRUE(has(arguments, "--foreground"));
    EXPECT_TRUE(has(arguments, "--table=-1"));
    EXPECT_TRUE(has(arguments, "--interface=10.0.0.5!203.0.113.7"));
    EXPECT_TRUE(has(arguments, "--listen-ng=127.0.0.1:23000"));
    EXPECT_TRUE(has(arguments, "--port-min=6000"));
    EXPECT_TRUE(has(arguments, "--port-max=6100"));
    EXPECT_TRUE(has(arguments, "--recording-dir=/var/lib/ff/recordings"));
    EXPECT_TRUE(has(arguments, "--recording-method=pcap"));
    EXPECT_TRUE(has(arguments, "--dtmf-log-dest=127.0.0.1:40123"));
}

TEST(MediaRtpengineProcess, without_a_public_address_the_interface_is_the_local_one_only) {
    RtpengineProcessSettings settings;
    settings.address = "10.0.0.5";
    const auto arguments = rtpengine_arguments(settings, "rtpengine", 23000);
    EXPECT_TRUE(has(arguments, "--interface=10.0.0.5"));
    EXPECT_FALSE(std::any_of(arguments.begin(), arguments.end(),
                             [](const std::string& a) { return a.starts_with("--recording") || a.starts_with("--dtmf"); }));
}

TEST(MediaRtpengineProcess, starts_and_answers_ping) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    EXPECT_GT(rtpengine->pid(), 0);
    EXPECT_TRUE(ping_rtpengine(rtpengine->ng_address(), milliseconds(1000)));
}

TEST(MediaRtpengineProcess, killed_with_sigkill_it_is_restarted_and_answers_again) {
    auto settings = ff::testing::test_rtpengine_settings();
    settings.restart_delay = milliseconds(50);
    auto rtpengine = ff::testing::start_test_rtpengine(settings);
    ASSERT_TRUE(rtpengine);
    const pid_t first = rtpengine->pid();
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    ASSERT_TRUE(rtpengine->wait_for_restarts(1, milliseconds(5000))) << "not restarted";
    EXPECT_NE(rtpengine->pid(), first);
    EXPECT_GT(rtpengine->pid(), 0);
    EXPECT_TRUE(ping_rtpengine(rtpengine->ng_address(), milliseconds(1000)));
}

TEST(MediaRtpengineProcess, stop_ends_the_child_and_it_stays_down) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    const pid_t child = rtpengine->pid();
    rtpengine->stop();
    EXPECT_EQ(rtpengine->pid(), -1);
    EXPECT_NE(::kill(child, 0), 0);  // reaped: the pid is gone
    EXPECT_EQ(rtpengine->restarts(), 0);
    EXPECT_FALSE(ping_rtpengine(rtpengine->ng_address(), milliseconds(200)));
}

TEST(MediaRtpengineProcess, a_missing_binary_is_named_in_the_error) {
    auto settings = ff::testing::test_rtpengine_settings();
    settings.binary = "/nonexistent/rtpengine";
    RtpengineProcess rtpengine(settings);
    const auto started = rtpengine.start();
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("/nonexistent/rtpengine"), std::string::npos) << started.error().message;
    EXPECT_NE(started.error().message.find("rtpengine-daemon"), std::string::npos) << started.error().message;
}

TEST(MediaRtpengineProcess, a_binary_that_exits_at_once_is_reported_with_its_output) {
    auto settings = ff::testing::test_rtpengine_settings();
    settings.address = "no-such-host.invalid";  // rtpengine cannot resolve it and gives up
    RtpengineProcess rtpengine(settings);
    const auto started = rtpengine.start();
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("exited with status 255 at start"), std::string::npos)
        << started.error().message;
    EXPECT_NE(started.error().message.find("Invalid interface specification"), std::string::npos)
        << started.error().message;
}
