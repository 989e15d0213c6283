// Pages found from the binary's location when WEB_DIR is not set: installed layout, checkout, nothing found.
#include "config/web_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <cstring>
#include <fstream>

#include "app/startup_config.hpp"
#include "support/temp_dir.hpp"

using ff::config::find_web_dir;
using ff::config::running_executable;
using ff::config::ServiceConfig;
using ff::config::web_dir_candidates;
using ff::config::web_dir_marker;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "x";
}

// A binary at `relative` under `root`, as a build or an install would leave it.
fs::path binary_at(const fs::path& root, const fs::path& relative) {
    const fs::path binary = root / relative;
    touch(binary);
    return binary;
}

}  // namespace

TEST(WebDirLookup, places_run_from_share_beside_bin_then_up_from_the_binary_to_the_root) {
    const std::vector<fs::path> expected{"/usr/share/pjsip-service/web", "/usr/bin/web", "/usr/web", "/web"};
    EXPECT_EQ(web_dir_candidates("/usr/bin/pjsip-service"), expected);
}

TEST(WebDirLookup, installed_binary_finds_its_pages_in_share) {
    ff::testing::TempDir root;
    const auto binary = binary_at(root.path(), "usr/bin/pjsip-service");
    touch(root.path() / "usr/share/pjsip-service/web/index.html");

    const auto search = find_web_dir(binary);
    ASSERT_TRUE(search.found);
    EXPECT_EQ(*search.found, root.path() / "usr/share/pjsip-service/web");
    EXPECT_EQ(search.looked_in.size(), 1u);
}

TEST(WebDirLookup, binary_in_a_build_directory_finds_the_web_folder_of_its_checkout) {
    ff::testing::TempDir root;
    const fs::path checkout = root.path() / "checkout";
    const auto binary = binary_at(checkout, "build/release/src/pjsip-service");
    touch(checkout / "web/index.html");

    const auto search = find_web_dir(binary);
    ASSERT_TRUE(search.found);
    EXPECT_EQ(*search.found, checkout / "web");
    const std::vector<fs::path> looked_in{checkout / "build/release/share/pjsip-service/web",
                                          checkout / "build/release/src/web", checkout / "build/release/web",
                                          checkout / "build/web", checkout / "web"};
    EXPECT_EQ(search.looked_in, looked_in);
}

TEST(WebDirLookup, installed_pages_win_over_a_checkout_above) {
    ff::testing::TempDir root;
    const auto binary = binary_at(root.path(), "usr/bin/pjsip-service");
    touch(root.path() / "usr/share/pjsip-service/web/index.html");
    touch(root.path() / "web/index.html");

    const auto search = find_web_dir(binary);
    ASSERT_TRUE(search.found);
    EXPECT_EQ(*search.found, root.path() / "usr/share/pjsip-service/web");
}

TEST(WebDirLookup, a_web_folder_without_index_html_is_passed_over) {
    ff::testing::TempDir root;
    const fs::path checkout = root.path() / "checkout";
    const auto binary = binary_at(checkout, "build/release/src/pjsip-service");
    touch(checkout / "build/release/web/console/main.js");  // a folder named web, but not the pages
    touch(checkout / "web/index.html");

    const auto search = find_web_dir(binary);
    ASSERT_TRUE(search.found);
    EXPECT_EQ(*search.found, checkout / "web");
}

TEST(WebDirLookup, nothing_found_reports_every_place_looked_in) {
    ff::testing::TempDir root;
    const auto binary = binary_at(root.path(), "opt/ff/bin/pjsip-service");
    const auto places = web_dir_candidates(binary);
    for (const auto& place : places) {
        if (fs::exists(place / web_dir_marker)) GTEST_SKIP() << "this machine has pages at " << place;
    }

    const auto search = find_web_dir(binary);
    EXPECT_FALSE(search.found);
    EXPECT_EQ(search.looked_in, places);
    ASSERT_FALSE(places.empty());
    EXPECT_EQ(places.front(), root.path() / "opt/ff/share/pjsip-service/web");
    EXPECT_EQ(places.back(), fs::path("/web"));
}

TEST(WebDirLookup, running_executable_is_this_test_binary) {
    const auto executable = running_executable();
    ASSERT_TRUE(executable);
    EXPECT_TRUE(executable->is_absolute());
    EXPECT_TRUE(fs::is_regular_file(*executable));
}

TEST(WebDirAtStartUp, web_dir_set_is_kept_as_it_is) {
    ff::testing::TempDir root;
    touch(root.path() / "index.html");
    ServiceConfig config;
    config.web_dir = root.path().string();

    EXPECT_EQ(ff::app::settle_web_dir(config), "");
    EXPECT_EQ(config.web_dir, root.path().string());
}

TEST(WebDirAtStartUp, web_dir_set_without_pages_is_kept_and_warned_about) {
    ff::testing::TempDir root;
    ServiceConfig config;
    config.web_dir = (root.path() / "nowhere").string();

    const auto warning = ff::app::settle_web_dir(config);
    EXPECT_NE(warning.find("WEB_DIR=" + config.web_dir + " holds no index.html"), std::string::npos)
        << warning;
    EXPECT_EQ(config.web_dir, (root.path() / "nowhere").string());
}

// Whether this test binary has a checkout above it or not, the outcome is pages found or a warning naming
// every place looked in.
TEST(WebDirAtStartUp, web_dir_unset_is_found_from_the_binary_or_warned_about_with_the_places) {
    ServiceConfig config;
    ASSERT_EQ(config.web_dir, "");
    const auto warning = ff::app::settle_web_dir(config);
    if (warning.empty()) {
        EXPECT_TRUE(fs::is_regular_file(fs::path(config.web_dir) / web_dir_marker)) << config.web_dir;
    } else {
        EXPECT_EQ(config.web_dir, "");
        for (const auto& place : web_dir_candidates(*running_executable()))
            EXPECT_NE(warning.find(place.string()), std::string::npos) << warning;
    }
}

TEST(MusicOnHoldAtStartUp, unset_it_is_the_music_shipped_with_the_pages) {
    ff::testing::TempDir root;
    fs::create_directories(root.path() / "media");
    touch(root.path() / "media" / "music-on-hold.wav");
    ServiceConfig config;
    config.web_dir = root.path().string();
    ff::app::settle_music_on_hold(config);
    EXPECT_EQ(config.moh_file, (root.path() / "media" / "music-on-hold.wav").string());
}

TEST(MusicOnHoldAtStartUp, none_is_silence_and_a_file_set_is_kept) {
    ff::testing::TempDir root;
    fs::create_directories(root.path() / "media");
    touch(root.path() / "media" / "music-on-hold.wav");
    ServiceConfig config;
    config.web_dir = root.path().string();
    config.moh_file = "none";
    ff::app::settle_music_on_hold(config);
    EXPECT_EQ(config.moh_file, "");
    config.moh_file = "/srv/music/brand.wav";
    ff::app::settle_music_on_hold(config);
    EXPECT_EQ(config.moh_file, "/srv/music/brand.wav");
}

TEST(MusicOnHoldAtStartUp, the_shipped_music_is_in_the_source_pages) {
    // What the package installs beside the pages: a real WAV, 8 kHz mono 16-bit for G.711.
    const fs::path web = fs::path(__FILE__).parent_path().parent_path().parent_path() / "web";  // tests/unit/.. /..
    std::ifstream wav(web / "media" / "music-on-hold.wav", std::ios::binary);
    ASSERT_TRUE(wav.good());
    char header[36] = {};
    wav.read(header, sizeof header);
    EXPECT_EQ(std::string(header, 4), "RIFF");
    EXPECT_EQ(std::string(header + 8, 4), "WAVE");
    std::uint32_t rate = 0;
    std::memcpy(&rate, header + 24, 4);
    EXPECT_EQ(rate, 8000u);
}
