// MEDIA, RTPENGINE_URL, MEDIA_ADDRESS, MEDIA_PUBLIC_ADDRESS, RTPENGINE_BINARY, MOH_FILE, RECORDING*: defaults, good values, and
// errors that name the variable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config_loader.hpp"

using namespace ff::config;

namespace {

using Env = std::map<std::string, std::string>;

ConfigError only_media_error(const Env& env, const std::string& variable) {
    const auto result = load_config(env);
    EXPECT_EQ(result.errors.size(), 1u) << format_errors(result.errors);
    if (result.errors.empty()) return {};
    EXPECT_EQ(result.errors.front().variable, variable) << format_errors(result.errors);
    return result.errors.front();
}

ServiceConfig loaded(const Env& env) {
    const auto result = load_config(env);
    EXPECT_TRUE(result.ok()) << format_errors(result.errors);
    return result.config;
}

}  // namespace

TEST(ConfigMedia, media_passes_through_by_default) {
    const auto config = loaded({});
    EXPECT_EQ(config.media, MediaMode::passthrough);
    EXPECT_TRUE(config.rtpengine_urls.empty());
    EXPECT_EQ(config.media_address, "");
    EXPECT_EQ(config.media_public_address, "");
    EXPECT_EQ(config.rtpengine_binary, "");
}

TEST(ConfigMedia, rtpengine_mode_with_several_instances) {
    const auto config = loaded({{"MEDIA", "RTPengine"},
                                {"RTPENGINE_URL", "udp:10.0.0.5:22222, udp:rtp2.example.org:2223,udp:[2001:db8::5]:22222"}});
    EXPECT_EQ(config.media, MediaMode::rtpengine);
    EXPECT_EQ(config.rtpengine_urls,
              (std::vector<std::string>{"udp:10.0.0.5:22222", "udp:rtp2.example.org:2223", "udp:[2001:db8::5]:22222"}));
}

TEST(ConfigMedia, an_unknown_media_mode_is_named) {
    const auto error = only_media_error({{"MEDIA", "kurento"}}, "MEDIA");
    EXPECT_EQ(error.shown_value, "kurento");
    EXPECT_EQ(error.expected, "passthrough or rtpengine");
}

TEST(ConfigMedia, a_wrong_rtpengine_url_entry_is_named) {
    auto error = only_media_error({{"MEDIA", "rtpengine"}, {"RTPENGINE_URL", "udp:10.0.0.5:22222,10.0.0.6:22222"}},
                                  "RTPENGINE_URL");
    EXPECT_NE(error.expected.find("entry 2 (\"10.0.0.6:22222\") does not start with udp:"), std::string::npos)
        << error.expected;
    error = only_media_error({{"MEDIA", "rtpengine"}, {"RTPENGINE_URL", "udp:10.0.0.5"}}, "RTPENGINE_URL");
    EXPECT_NE(error.expected.find("entry 1 (\"udp:10.0.0.5\") is not udp:host:port"), std::string::npos)
        << error.expected;
    only_media_error({{"MEDIA", "rtpengine"}, {"RTPENGINE_URL", "udp:10.0.0.5:99999"}}, "RTPENGINE_URL");
    only_media_error({{"MEDIA", "rtpengine"}, {"RTPENGINE_URL", "udp:10.0.0.5:22222,"}}, "RTPENGINE_URL");
}

TEST(ConfigMedia, rtpengine_url_without_media_rtpengine_is_a_mistake) {
    const auto error = only_media_error({{"RTPENGINE_URL", "udp:10.0.0.5:22222"}}, "RTPENGINE_URL");
    EXPECT_NE(error.expected.find("set MEDIA=rtpengine"), std::string::npos) << error.expected;
    // A wrong MEDIA is reported once, not again through RTPENGINE_URL.
    only_media_error({{"MEDIA", "rtp"}, {"RTPENGINE_URL", "udp:10.0.0.5:22222"}}, "MEDIA");
}

TEST(ConfigMedia, media_addresses_are_ip_addresses) {
    const auto config = loaded({{"MEDIA_ADDRESS", "10.0.0.5"}, {"MEDIA_PUBLIC_ADDRESS", "2001:db8::7"}});
    EXPECT_EQ(config.media_address, "10.0.0.5");
    EXPECT_EQ(config.media_public_address, "2001:db8::7");
    EXPECT_EQ(only_media_error({{"MEDIA_ADDRESS", "eth0"}}, "MEDIA_ADDRESS").expected,
              "an IPv4 or IPv6 address, e.g. 203.0.113.10");
    only_media_error({{"MEDIA_PUBLIC_ADDRESS", "203.0.113.300"}}, "MEDIA_PUBLIC_ADDRESS");
}

TEST(ConfigMedia, rtpengine_binary_must_exist) {
    EXPECT_EQ(loaded({{"RTPENGINE_BINARY", "/bin/sh"}}).rtpengine_binary, "/bin/sh");
    const auto error = only_media_error({{"RTPENGINE_BINARY", "/nonexistent/rtpengine"}}, "RTPENGINE_BINARY");
    EXPECT_NE(error.expected.find("not found"), std::string::npos) << error.expected;
}

TEST(ConfigMedia, rtp_ports_and_stun_keep_their_rules_alongside_media) {
    const auto config = loaded({{"MEDIA", "rtpengine"}, {"RTP_PORT_MIN", "30000"}, {"RTP_PORT_MAX", "30100"},
                                {"STUN_SERVER", "stun.example.org:3478"}});
    EXPECT_EQ(config.pbx.rtp_port_min, 30000);
    EXPECT_EQ(config.pbx.rtp_port_max, 30100);
    EXPECT_EQ(config.pbx.stun_server, "stun.example.org:3478");
    only_media_error({{"MEDIA", "rtpengine"}, {"RTP_PORT_MIN", "30100"}, {"RTP_PORT_MAX", "30000"}}, "RTP_PORT_MIN");
}

TEST(ConfigMedia, music_on_hold_is_a_file_that_exists_kept_as_an_absolute_path) {
    const auto missing = only_media_error({{"MOH_FILE", "/nonexistent/music.wav"}}, "MOH_FILE");
    EXPECT_NE(missing.expected.find("an audio file rtpengine can play"), std::string::npos) << missing.expected;
    const auto file = std::filesystem::temp_directory_path() / "ff-config-media-music.wav";
    { std::ofstream(file) << "RIFF"; }
    const auto config = loaded({{"MOH_FILE", file.string()}});
    EXPECT_EQ(config.moh_file, file.string());
    EXPECT_TRUE(std::filesystem::path(config.moh_file).is_absolute());
    std::filesystem::remove(file);
}

TEST(ConfigMedia, music_on_hold_none_means_silence) {
    EXPECT_EQ(loaded({{"MOH_FILE", "none"}}).moh_file, "none");  // app/ turns it into no music at all
}

TEST(ConfigMedia, recording_is_off_by_default_and_needs_rtpengine) {
    const auto plain = loaded({});
    EXPECT_EQ(plain.recording, RecordingMode::off);
    EXPECT_EQ(plain.recording_dir, "");
    EXPECT_EQ(plain.recording_retention_days, 0);
    const auto on = loaded({{"MEDIA", "rtpengine"}, {"RECORDING", "On-Demand"}, {"RECORDING_DIR", "/var/lib/ff/rec"},
                            {"RECORDING_RETENTION_DAYS", "90"}});
    EXPECT_EQ(on.recording, RecordingMode::on_demand);
    EXPECT_EQ(on.recording_dir, "/var/lib/ff/rec");
    EXPECT_EQ(on.recording_retention_days, 90);
    EXPECT_EQ(loaded({{"MEDIA", "rtpengine"}, {"RECORDING", "all"}}).recording, RecordingMode::all);

    const auto without_rtpengine = only_media_error({{"RECORDING", "all"}}, "RECORDING");
    EXPECT_NE(without_rtpengine.expected.find("MEDIA=rtpengine"), std::string::npos) << without_rtpengine.expected;
    only_media_error({{"MEDIA", "rtpengine"}, {"RECORDING", "sometimes"}}, "RECORDING");
    only_media_error({{"RECORDING_RETENTION_DAYS", "-1"}}, "RECORDING_RETENTION_DAYS");
}

TEST(ConfigMedia, rtpengine_dtmf_listen_is_an_address_and_port) {
    const auto config = loaded({{"MEDIA", "rtpengine"}, {"RTPENGINE_URL", "udp:10.0.0.9:22222"},
                                {"RTPENGINE_DTMF_LISTEN", "10.0.0.5:22223"}});
    EXPECT_EQ(config.rtpengine_dtmf_host, "10.0.0.5");
    EXPECT_EQ(config.rtpengine_dtmf_port, 22223);
    EXPECT_EQ(loaded({}).rtpengine_dtmf_host, "") << "unset: chosen by the service for the rtpengine it starts";
    for (const char* wrong : {"10.0.0.5", "rtpengine.local:22223", "10.0.0.5:70000"}) {
        const auto error = only_media_error({{"RTPENGINE_DTMF_LISTEN", wrong}}, "RTPENGINE_DTMF_LISTEN");
        EXPECT_NE(error.expected.find("address and port"), std::string::npos) << wrong << ": " << error.expected;
    }
}
