// The spool file on a real disk: order, durability across reopening, a line cut by a crash, the bound.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/call_log_spool.hpp"
#include "store/spooled_call.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::TempDir;

namespace {

calls::Call snapshot(const std::string& id, calls::CallStatus status) {
    calls::Call call;
    call.id = id;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.status = status;
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1764090000000}};
    return call;
}

std::string file_text(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::unique_ptr<CallLogSpool> open_spool(const std::filesystem::path& path,
                                         std::uint64_t max_bytes = 1 << 20) {
    auto spool = CallLogSpool::open(path, max_bytes);
    if (!spool) throw std::runtime_error(spool.error().message);
    return std::move(spool).value();
}

// (id, status) of each record, oldest first, emptying the spool as a replay does.
std::vector<std::pair<std::string, calls::CallStatus>> take_all(CallLogSpool& spool) {
    std::vector<std::pair<std::string, calls::CallStatus>> records;
    while (!spool.empty()) {
        records.emplace_back(spool.front().id, spool.front().status);
        spool.pop_front();
    }
    return records;
}

class CapturedLog {
  public:
    CapturedLog()
        : previous_(spdlog::default_logger()),
          sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;
    std::string text() const {
        std::string all;
        for (const auto& line : sink_->last_formatted()) all += line;
        return all;
    }

  private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

using Records = std::vector<std::pair<std::string, calls::CallStatus>>;

}  // namespace

TEST(CallLogSpool, records_come_back_in_the_order_appended) {
    TempDir dir;
    auto spool = open_spool(dir.path() / "spool" / "call-log.jsonl");  // the directory is created
    ASSERT_TRUE(spool->empty());
    ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::ringing)));
    ASSERT_TRUE(spool->append(snapshot("b", calls::CallStatus::ringing)));
    ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::ended)));
    EXPECT_EQ(spool->size(), 3u);
    EXPECT_EQ(take_all(*spool), (Records{{"a", calls::CallStatus::ringing},
                                         {"b", calls::CallStatus::ringing},
                                         {"a", calls::CallStatus::ended}}));
}

TEST(CallLogSpool, records_survive_reopening_the_file) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    {
        auto spool = open_spool(path);
        ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::answered)));
        ASSERT_TRUE(spool->append(snapshot("b", calls::CallStatus::ended)));
    }  // as if the service died here
    auto reopened = open_spool(path);
    EXPECT_EQ(take_all(*reopened),
              (Records{{"a", calls::CallStatus::answered}, {"b", calls::CallStatus::ended}}));
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);  // customers' numbers inside
}

TEST(CallLogSpool, records_taken_stay_in_the_file_until_cleared) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    {
        auto spool = open_spool(path);
        ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::ringing)));
        ASSERT_TRUE(spool->append(snapshot("b", calls::CallStatus::ringing)));
        spool->pop_front();  // written, then the service died before the rest was
    }
    {
        auto spool = open_spool(path);
        EXPECT_EQ(spool->size(), 2u);  // written again at the next start: an upsert, harmless
        take_all(*spool);
        ASSERT_TRUE(spool->clear());
        EXPECT_EQ(spool->file_bytes(), 0u);
    }
    EXPECT_EQ(file_text(path), "");
    EXPECT_TRUE(open_spool(path)->empty());
}

TEST(CallLogSpool, a_last_line_cut_short_by_a_crash_is_skipped_with_a_warning) {
    CapturedLog log;
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    {
        const std::string whole = spool_line(snapshot("a", calls::CallStatus::ended));
        const std::string cut = spool_line(snapshot("b", calls::CallStatus::ringing));
        std::ofstream file(path, std::ios::binary);
        file << whole << "\n" << cut.substr(0, cut.size() / 2);  // no newline: the write never finished
    }
    auto spool = open_spool(path);
    EXPECT_NE(log.text().find("line 2 skipped"), std::string::npos) << log.text();
    ASSERT_EQ(spool->size(), 1u);
    // The next record starts on a line of its own, so nothing is glued to the cut one.
    ASSERT_TRUE(spool->append(snapshot("c", calls::CallStatus::ringing)));
    spool.reset();
    auto reopened = open_spool(path);
    EXPECT_EQ(take_all(*reopened),
              (Records{{"a", calls::CallStatus::ended}, {"c", calls::CallStatus::ringing}}));
}

TEST(CallLogSpool, an_append_past_the_bound_is_refused_and_the_file_stays_as_it_was) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    const std::size_t line_bytes = spool_line(snapshot("a", calls::CallStatus::ringing)).size() + 1;
    auto spool = open_spool(path, line_bytes * 2);
    ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::ringing)));
    ASSERT_TRUE(spool->append(snapshot("b", calls::CallStatus::ringing)));
    const auto refused = spool->append(snapshot("c", calls::CallStatus::ringing));
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("is full"), std::string::npos) << refused.error().message;
    EXPECT_EQ(spool->size(), 2u);
    EXPECT_EQ(std::filesystem::file_size(path), line_bytes * 2);
}

TEST(CallLogSpool, a_spool_that_cannot_be_created_says_where) {
    TempDir dir;
    const auto blocker = dir.path() / "file";
    std::ofstream(blocker) << "x";
    const auto spool = CallLogSpool::open(blocker / "spool" / "call-log.jsonl", 1 << 20);
    ASSERT_FALSE(spool);
    EXPECT_NE(spool.error().message.find(blocker.string()), std::string::npos) << spool.error().message;
}
