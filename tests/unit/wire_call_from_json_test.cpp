// A call written by to_json reads back the same; damaged JSON is refused naming the field.
#include <gtest/gtest.h>

#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"

namespace ff::wire {
namespace {

calls::Call full_call() {
    calls::Call call;
    call.id = "2f1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a11";
    call.sip_call_id = "abc@127.0.0.1";
    call.direction = calls::Direction::inbound;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1764000000123}};
    call.answer_time = call.start_time + std::chrono::seconds(3);
    call.end_time = call.start_time + std::chrono::seconds(40);
    call.transfer_target = "1002";
    call.customer = calls::Customer{"c-7", "Иван Петров", "+79991234567"};
    call.orders.push_back({"order-1", call.start_time + std::chrono::seconds(20)});
    call.notes.push_back({5, "позвонить завтра", "operator 1", call.start_time + std::chrono::seconds(30)});
    call.operators.push_back({"1001", call.start_time, call.answer_time, call.start_time + std::chrono::seconds(9), "1002"});
    call.operators.push_back({"1002", call.start_time + std::chrono::seconds(9), std::nullopt, call.end_time, ""});
    call.media = calls::MediaReport{{0, std::nullopt, std::nullopt}, {1850, 12, 3.5}, true, false};
    call.recording = calls::Recording{calls::RecordingStatus::ready, 37'250, 118'342, {}, "ff-2"};
    return call;
}

TEST(WireCallFromJson, ReadsBackEveryFieldToJsonWrote) {
    const auto call = full_call();
    const auto read = call_from_json(to_json(call));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(to_json(read.value()), to_json(call));
    EXPECT_EQ(read->sip_call_id, call.sip_call_id);
    EXPECT_EQ(read->notes.at(0).id, 5);
    ASSERT_EQ(read->operators.size(), 2u);
    EXPECT_EQ(read->operators[0].transferred_to, "1002");
    EXPECT_EQ(read->operators[1].until, call.end_time);
    EXPECT_FALSE(read->operators[1].answered_at);
    EXPECT_EQ(to_json(call)["operators"][0]["talkSeconds"], 6);
    EXPECT_EQ(read->media, call.media);
    EXPECT_EQ(to_json(call)["media"]["customerToOperator"]["lost"], nullptr);
    EXPECT_EQ(to_json(call)["media"]["operatorToCustomer"]["jitterMs"], 3.5);
    EXPECT_EQ(to_json(call)["media"]["oneWay"], true);
    EXPECT_EQ(read->recording, call.recording);
    EXPECT_EQ(to_json(call)["recording"]["url"], "/api/calls/" + call.id + "/recording");
    EXPECT_EQ(to_json(call)["recording"]["durationSeconds"], 37.25);
}

TEST(WireCallFromJson, ARecordingThatFailedKeepsItsReasonAndHasNoFile) {
    calls::Call call = full_call();
    call.recording = calls::Recording{calls::RecordingStatus::failed, 0, 0, "rtpengine wrote no capture for the call", {}};
    const auto json = to_json(call);
    EXPECT_EQ(json["recording"]["status"], "failed");
    EXPECT_EQ(json["recording"]["url"], nullptr);
    EXPECT_EQ(json["recording"]["bytes"], nullptr);
    const auto read = call_from_json(json);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->recording, call.recording);

    call.recording = calls::Recording{calls::RecordingStatus::processing, 0, 0, {}, {}};
    EXPECT_EQ(call_from_json(to_json(call))->recording, call.recording);
    EXPECT_EQ(to_json(call)["recording"]["reason"], nullptr);
}

TEST(WireCallFromJson, ReadsARingingCallWithNullFields) {
    calls::Call call = full_call();
    call.status = calls::CallStatus::ringing;
    call.end_reason = calls::EndReason::none;
    call.answer_time.reset();
    call.end_time.reset();
    call.customer.reset();
    call.transfer_target.clear();
    call.media.reset();
    const auto read = call_from_json(to_json(call));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->end_reason, calls::EndReason::none);
    EXPECT_FALSE(read->answer_time);
    EXPECT_FALSE(read->customer);
    EXPECT_FALSE(read->media);
}

TEST(WireCallFromJson, ReadsBackAConsultationUnderWay) {
    auto call = full_call();
    call.status = calls::CallStatus::transferred;
    call.end_time.reset();
    call.consultation = calls::Consultation{"1002", call.start_time + std::chrono::seconds(12), std::nullopt};
    auto json = to_json(call);
    EXPECT_EQ(json["consultation"]["target"], "1002");
    EXPECT_EQ(json["consultation"]["answeredAt"], nullptr);
    auto read = call_from_json(json);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->consultation, call.consultation);
    json["consultation"] = {{"target", "1002"}};
    read = call_from_json(json);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("consultation"), std::string::npos);
}

TEST(WireCallFromJson, NamesTheDamagedField) {
    auto json = to_json(full_call());
    json["status"] = "flying";
    auto read = call_from_json(json);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("status"), std::string::npos);

    json = to_json(full_call());
    json["startTime"] = "yesterday";
    read = call_from_json(json);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("startTime"), std::string::npos);

    json = to_json(full_call());
    json["operators"][1]["from"] = 12;
    read = call_from_json(json);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("operators"), std::string::npos);

    json = to_json(full_call());
    json["media"]["operatorToCustomer"]["packets"] = -3;
    read = call_from_json(json);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("media"), std::string::npos);

    for (const auto& damage : {nlohmann::json{{"status", "lost"}}, nlohmann::json{{"status", "ready"}, {"bytes", 10}},
                               nlohmann::json{{"status", "failed"}}, nlohmann::json("ready")}) {
        json = to_json(full_call());
        json["recording"] = damage;
        read = call_from_json(json);
        ASSERT_FALSE(read) << damage.dump();
        EXPECT_NE(read.error().message.find("recording"), std::string::npos);
    }

    EXPECT_FALSE(call_from_json(nlohmann::json::array()));
}

TEST(WireCallFromJson, RefusesATimeWithAFieldOutOfRange) {
    // 23:59:60 on the last day of 9999 would be read as year 10000, which no call could be written back with.
    EXPECT_FALSE(parse_time("9999-12-31T23:59:60.000Z"));
    EXPECT_FALSE(parse_time("2025-13-01T00:00:00.000Z"));
    EXPECT_FALSE(parse_time("2025-11-08T12:00:00.-12Z"));
    ASSERT_TRUE(parse_time("9999-12-31T23:59:59.999Z"));
    EXPECT_EQ(format_time(*parse_time("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
}

TEST(WireCallFromJson, ReadsBackALineState) {
    calls::LineState line{"1001", "op1", "Оператор 1", true, false, "registered"};
    const auto read = line_from_json(to_json(line));
    ASSERT_TRUE(read);
    EXPECT_EQ(to_json(read.value()), to_json(line));
    EXPECT_FALSE(line_from_json(nlohmann::json{{"extension", 1}}));
}

}  // namespace
}  // namespace ff::wire
