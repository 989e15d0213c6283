// The spool file on a real disk: order, durability across reopening, every field kept, damaged lines, the
// bound.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/call_log_spool.hpp"
#include "support/captured_log.hpp"
#include "support/temp_dir.hpp"
#include "wire/call_json.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::TempDir;

using ff::testing::CapturedLog;

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

// A call with every field record_call writes set to something other than its default.
calls::Call full_call() {
    calls::Call call;
    call.id = "0b7e6a52-1111-4c1e-9f00-000000000001";
    call.sip_call_id = "abc@pbx";
    call.direction = calls::Direction::outbound;
    call.from = "1001";
    call.to = "+79991234567";
    call.extension = "1001";
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::transferred;
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1764090000123}};
    call.answer_time = call.start_time + std::chrono::milliseconds{4001};
    call.end_time = call.start_time + std::chrono::milliseconds{75002};
    call.transfer_target = "1002";
    call.customer = calls::Customer{"cust-1", "Иван \"Ваня\" Иванов\n", "+79991234567"};
    return call;
}

// The line the spool writes for `call`, without its newline.
std::string line_of(const calls::Call& call) {
    return wire::to_json(call).dump();
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
        records.emplace_back(spool.front().call->id, spool.front().call->status);
        spool.pop_front();
    }
    return records;
}

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

TEST(CallLogSpool, webhook_events_come_back_with_their_call_or_alone_and_a_snapshot_alone_is_written_as_before) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    store::OutboxEvent event{"evt_1", "call:ended", "a", 1700000000000, R"({"id":"evt_1"})", {"wh_1", "wh_2"}};
    {
        auto spool = open_spool(path);
        ASSERT_TRUE(spool->append(snapshot("a", calls::CallStatus::ringing)));
        ASSERT_TRUE(spool->append(store::LogRecord{snapshot("a", calls::CallStatus::ended), {event}}));
        ASSERT_TRUE(spool->append(store::LogRecord{std::nullopt, {event}}));
    }
    // A snapshot alone is the line spools of earlier versions hold, so they are read back after an upgrade.
    const std::string text = file_text(path);
    EXPECT_EQ(text.substr(0, text.find('\n')), line_of(snapshot("a", calls::CallStatus::ringing)));
    auto reopened = open_spool(path);
    ASSERT_EQ(reopened->size(), 3u);
    EXPECT_TRUE(reopened->front().events.empty());
    reopened->pop_front();
    ASSERT_TRUE(reopened->front().call);
    EXPECT_EQ(reopened->front().call->status, calls::CallStatus::ended);
    ASSERT_EQ(reopened->front().events.size(), 1u);
    const store::OutboxEvent& back = reopened->front().events.front();
    EXPECT_EQ(back.id, "evt_1");
    EXPECT_EQ(back.type, "call:ended");
    EXPECT_EQ(back.ordering_key, "a");
    EXPECT_EQ(back.occurred_ms, 1700000000000);
    EXPECT_EQ(back.body, R"({"id":"evt_1"})");
    EXPECT_EQ(back.webhook_ids, (std::vector<std::string>{"wh_1", "wh_2"}));
    reopened->pop_front();
    EXPECT_FALSE(reopened->front().call);
    EXPECT_EQ(reopened->front().events.size(), 1u);
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
        const std::string whole = line_of(snapshot("a", calls::CallStatus::ended));
        const std::string cut = line_of(snapshot("b", calls::CallStatus::ringing));
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
    const std::size_t line_bytes = line_of(snapshot("a", calls::CallStatus::ringing)).size() + 1;
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

TEST(CallLogSpool, every_field_record_call_writes_comes_back_from_the_file_exactly) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    const calls::Call call = full_call();
    ASSERT_TRUE(open_spool(path)->append(call));
    const std::string text = file_text(path);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;  // one record, one line
    auto reopened = open_spool(path);
    ASSERT_EQ(reopened->size(), 1u);
    const calls::Call& back = *reopened->front().call;
    EXPECT_EQ(back.id, call.id);
    EXPECT_EQ(back.sip_call_id, call.sip_call_id);
    EXPECT_EQ(back.direction, call.direction);
    EXPECT_EQ(back.from, call.from);
    EXPECT_EQ(back.to, call.to);
    EXPECT_EQ(back.extension, call.extension);
    EXPECT_EQ(back.status, call.status);
    EXPECT_EQ(back.end_reason, call.end_reason);
    EXPECT_EQ(back.start_time, call.start_time);  // to the millisecond
    EXPECT_EQ(back.answer_time, call.answer_time);
    EXPECT_EQ(back.end_time, call.end_time);
    EXPECT_EQ(back.transfer_target, call.transfer_target);
    ASSERT_TRUE(back.customer);
    EXPECT_EQ(back.customer->id, call.customer->id);
    EXPECT_EQ(back.customer->name, call.customer->name);
    EXPECT_EQ(back.customer->phone, call.customer->phone);
}

TEST(CallLogSpool, a_ringing_call_without_times_or_customer_keeps_them_absent) {
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    ASSERT_TRUE(open_spool(path)->append(snapshot("a", calls::CallStatus::ringing)));
    auto reopened = open_spool(path);
    ASSERT_EQ(reopened->size(), 1u);
    const calls::Call& back = *reopened->front().call;
    EXPECT_EQ(back.end_reason, calls::EndReason::none);
    EXPECT_FALSE(back.answer_time);
    EXPECT_FALSE(back.end_time);
    EXPECT_TRUE(back.transfer_target.empty());
    EXPECT_FALSE(back.customer);
}

TEST(CallLogSpool, an_altered_line_is_skipped_with_a_warning_naming_the_field) {
    CapturedLog log;
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    {
        std::string altered = line_of(full_call());
        altered.replace(altered.find("\"ended\""), 7, "\"gone\"");
        std::ofstream file(path, std::ios::binary);
        file << "[]\n"
             << R"({"id":"x"})"
             << "\n"
             << altered << "\n"
             << line_of(snapshot("a", calls::CallStatus::ended)) << "\n";
    }
    auto spool = open_spool(path);
    EXPECT_NE(log.text().find("line 1 skipped"), std::string::npos) << log.text();
    EXPECT_NE(log.text().find("line 2 skipped"), std::string::npos) << log.text();
    EXPECT_NE(log.text().find("line 3 skipped (call JSON: status"), std::string::npos) << log.text();
    EXPECT_EQ(take_all(*spool), (Records{{"a", calls::CallStatus::ended}}));
}

// A line whose event time is not a whole number of milliseconds that fits (a float, one beyond 64 bits) is
// damaged: it is skipped like any altered line, not converted (a float out of range has no defined value;
// the fuzzer found one).
TEST(CallLogSpool, an_event_time_that_is_no_whole_millisecond_count_makes_the_line_damaged) {
    CapturedLog log;
    TempDir dir;
    const auto path = dir.path() / "call-log.jsonl";
    const auto event_line = [](const std::string& occurred) {
        return R"({"webhookEvents":[{"id":"evt_1","type":"call:ended","orderingKey":"a","occurredMs":)" + occurred +
               R"(,"body":"{}","webhookIds":["wh_1"]}]})";
    };
    {
        std::ofstream file(path, std::ios::binary);
        file << event_line("176260683002606830000") << "\n"  // beyond 64 bits: read as a float
             << event_line("1700000000000.5") << "\n"
             << event_line("18446744073709551615") << "\n"  // fits 64 bits unsigned, not signed
             << event_line("1700000000000") << "\n";
    }
    auto spool = open_spool(path);
    for (const char* line : {"line 1 skipped", "line 2 skipped", "line 3 skipped"})
        EXPECT_NE(log.text().find(line), std::string::npos) << log.text();
    ASSERT_EQ(spool->size(), 1u);
    ASSERT_EQ(spool->front().events.size(), 1u);
    EXPECT_EQ(spool->front().events.front().occurred_ms, 1700000000000);
}
