// The spool's line format: every field record_call writes comes back as it was; damaged lines are refused.
#include <gtest/gtest.h>

#include <string>

#include "store/spooled_call.hpp"

using namespace ff;
using namespace ff::store;

namespace {

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

}  // namespace

TEST(SpooledCall, every_field_record_call_writes_comes_back_exactly) {
    const calls::Call call = full_call();
    const std::string line = spool_line(call);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;  // one record, one line
    const auto back = call_from_spool_line(line);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->id, call.id);
    EXPECT_EQ(back->sip_call_id, call.sip_call_id);
    EXPECT_EQ(back->direction, call.direction);
    EXPECT_EQ(back->from, call.from);
    EXPECT_EQ(back->to, call.to);
    EXPECT_EQ(back->extension, call.extension);
    EXPECT_EQ(back->status, call.status);
    EXPECT_EQ(back->end_reason, call.end_reason);
    EXPECT_EQ(back->start_time, call.start_time);
    EXPECT_EQ(back->answer_time, call.answer_time);
    EXPECT_EQ(back->end_time, call.end_time);
    EXPECT_EQ(back->transfer_target, call.transfer_target);
    ASSERT_TRUE(back->customer);
    EXPECT_EQ(back->customer->id, "cust-1");
    EXPECT_EQ(back->customer->name, call.customer->name);
    EXPECT_EQ(back->customer->phone, "+79991234567");
}

TEST(SpooledCall, a_ringing_call_without_times_or_customer_keeps_them_absent) {
    calls::Call call;
    call.id = "call-2";
    call.from = "+79991234567";
    call.to = "1001";
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1764090000000}};
    const auto back = call_from_spool_line(spool_line(call));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->status, calls::CallStatus::ringing);
    EXPECT_EQ(back->end_reason, calls::EndReason::none);
    EXPECT_FALSE(back->answer_time);
    EXPECT_FALSE(back->end_time);
    EXPECT_FALSE(back->customer);
}

TEST(SpooledCall, a_line_cut_short_or_altered_is_refused) {
    const std::string line = spool_line(full_call());
    EXPECT_FALSE(call_from_spool_line(line.substr(0, line.size() / 2)));
    EXPECT_FALSE(call_from_spool_line(""));
    EXPECT_FALSE(call_from_spool_line("[]"));
    EXPECT_FALSE(call_from_spool_line(R"({"id":"x"})"));
    std::string bad_status = line;
    bad_status.replace(bad_status.find("\"ended\""), 7, "\"gone\"");
    const auto refused = call_from_spool_line(bad_status);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("status"), std::string::npos) << refused.error().message;
}
