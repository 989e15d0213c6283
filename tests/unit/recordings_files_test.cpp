// Where recordings live: a call's captures found by its id and removed, its file named by its id only, old
// files deleted after the retention period.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recordings/recording_files.hpp"

namespace ff::recordings {
namespace {

namespace fs = std::filesystem;

constexpr const char* call_id = "2f1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a11";
constexpr const char* other_id = "9a1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a22";

class RecordingFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("ff-recording-files-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    fs::path touch(const fs::path& file) {
        fs::create_directories(file.parent_path());
        std::ofstream(file) << "x";
        return file;
    }

    fs::path dir;
};

TEST_F(RecordingFiles, a_calls_captures_are_found_by_its_id_and_removed) {
    const fs::path captures = captures_dir(dir);
    touch(captures / "pcaps" / (std::string(call_id) + "-6afcb329812d1064.pcap"));
    touch(captures / "metadata" / ("rtpengine-meta-" + std::string(call_id) + "-6afcb329812d1064.txt"));
    const fs::path other = touch(captures / "pcaps" / (std::string(other_id) + "-0000000000000001.pcap"));

    const CallCaptures found = find_captures(captures, call_id);
    ASSERT_EQ(found.captures.size(), 1u);
    EXPECT_EQ(found.metadata.size(), 1u);
    EXPECT_TRUE(remove_captures(found).empty());
    EXPECT_TRUE(find_captures(captures, call_id).captures.empty());
    EXPECT_TRUE(fs::exists(other));
    EXPECT_TRUE(find_captures(captures / "nowhere", call_id).captures.empty());
}

TEST_F(RecordingFiles, only_a_call_id_names_a_file) {
    EXPECT_EQ(recording_file(dir, call_id), dir / (std::string(call_id) + ".ogg"));
    EXPECT_FALSE(recording_file(dir, "../../etc/passwd"));
    EXPECT_FALSE(recording_file(dir, "2F1C7A52-6A9E-4D0E-9D7F-0B7B1B0F4A11"));
    EXPECT_FALSE(recording_file(dir, "2f1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a1/"));
    EXPECT_TRUE(find_captures(captures_dir(dir), "*").captures.empty());
}

TEST_F(RecordingFiles, retention_deletes_only_recordings_older_than_its_days) {
    const fs::path old_one = touch(dir / (std::string(call_id) + ".ogg"));
    const fs::path new_one = touch(dir / (std::string(other_id) + ".ogg"));
    const fs::path not_a_recording = touch(dir / "notes.txt");
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(old_one, now - std::chrono::hours(24 * 31));
    fs::last_write_time(not_a_recording, now - std::chrono::hours(24 * 31));

    EXPECT_EQ(remove_old_recordings(dir, 0, now), 0u);  // 0: kept forever
    EXPECT_TRUE(fs::exists(old_one));
    EXPECT_EQ(remove_old_recordings(dir, 30, now), 1u);
    EXPECT_FALSE(fs::exists(old_one));
    EXPECT_TRUE(fs::exists(new_one));
    EXPECT_TRUE(fs::exists(not_a_recording));
}

}  // namespace
}  // namespace ff::recordings
