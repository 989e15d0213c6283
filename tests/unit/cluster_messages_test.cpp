// What one instance writes to Redis the others read back the same; damaged text is refused, never trusted.
#include <gtest/gtest.h>

#include "cluster/cluster_messages.hpp"
#include "wire/call_json.hpp"

namespace ff::cluster {
namespace {

calls::Call sample_call() {
    calls::Call call;
    call.id = "0b8f5c1e-4a8e-4a55-9d0b-0d3f8c8f1a01";
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    call.status = calls::CallStatus::held;
    call.start_time = calls::TimePoint{std::chrono::milliseconds{1764000000000}};
    call.answer_time = call.start_time + std::chrono::seconds(2);
    return call;
}

// The call's JSON without what it computes from the clock (a live call's talk time): two encodings of one
// call a moment apart, across a second's boundary, are equal.
nlohmann::json timeless(const calls::Call& call) {
    auto json = wire::to_json(call);
    json.erase("duration");
    for (auto& turn : json["operators"]) turn.erase("talkSeconds");
    return json;
}

TEST(ClusterMessages, ACallEventReadsBackWithItsKindAndCall) {
    const calls::CallEvent event{calls::CallEventKind::transferred, sample_call(), "1002"};
    const auto read = decode_event(encode_call_event("one", event));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->origin, "one");
    EXPECT_EQ(read->type, EventMessage::Type::call);
    EXPECT_EQ(read->call_event.kind, calls::CallEventKind::transferred);
    EXPECT_EQ(read->call_event.previous_extension, "1002");
    EXPECT_EQ(timeless(read->call_event.call), timeless(event.call));
}

TEST(ClusterMessages, ACallEventAndItsSharedEntryFromOneEncodingReadBackAsTheSeparateOnes) {
    calls::CallEvent event{calls::CallEventKind::transferred, sample_call(), "10\"02"};
    const auto both = encode_call_event_with_entry("one", event);
    const auto entry = decode_owned_call(both.owned_call);
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_EQ(entry->owner, "one");
    EXPECT_EQ(timeless(entry->call), timeless(event.call));
    const auto read = decode_event(both.event);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->origin, "one");
    EXPECT_EQ(read->call_event.kind, calls::CallEventKind::transferred);
    EXPECT_EQ(read->call_event.previous_extension, "10\"02");
    EXPECT_EQ(timeless(read->call_event.call), timeless(event.call));
    event.call.status = calls::CallStatus::ended;  // an ended call leaves the shared hash: no entry
    EXPECT_TRUE(encode_call_event_with_entry("one", event).owned_call.empty());
}

TEST(ClusterMessages, EveryEventMessageBeginsWithItsOriginAndNoOtherOriginsPrefix) {
    const calls::CallEvent event{calls::CallEventKind::created, sample_call(), ""};
    const OperatorChoice choice{"1001", calls::OperatorState::available, ""};
    for (const std::string& id : {std::string("one"), std::string("host-\"quoted\"-1")}) {
        const std::string prefix = origin_prefix(id);
        for (const auto& message : {encode_call_event(id, event), encode_line(id, calls::LineState{}), encode_resync(id),
                                    encode_settings_saved(id), encode_operator_choice(id, choice)}) {
            EXPECT_TRUE(message.starts_with(prefix)) << message;
            EXPECT_FALSE(message.starts_with(origin_prefix(id + "x"))) << message;  // nor another instance's
            ASSERT_TRUE(decode_event(message)) << message;
            EXPECT_EQ(decode_event(message)->origin, id);
        }
    }
    // An id that begins another: "one" is not "one-2"'s prefix.
    EXPECT_FALSE(encode_resync("one-2").starts_with(origin_prefix("one")));
}

TEST(ClusterMessages, LineAndResyncMessagesReadBack) {
    const auto line = decode_event(encode_line("two", calls::LineState{"1002", "op2", "Оператор", true, true, ""}));
    ASSERT_TRUE(line);
    EXPECT_EQ(line->type, EventMessage::Type::line);
    EXPECT_TRUE(line->line.device_registered);
    const auto resync = decode_event(encode_resync("two"));
    ASSERT_TRUE(resync);
    EXPECT_EQ(resync->type, EventMessage::Type::resync);
    const auto settings = decode_event(encode_settings_saved("two"));
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->type, EventMessage::Type::settings);
}

TEST(ClusterMessages, ControlRequestsAndRepliesReadBack) {
    ControlRequest request;
    request.request_id = "r1";
    request.reply_to = "two";
    request.action = ControlRequest::Action::dial;
    request.dial = {"1001", "+79990000000", "8 999 000-00-00", true, "a1b2"};
    const auto read = decode_control(encode_control(request));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->action, ControlRequest::Action::dial);
    EXPECT_EQ(read->dial.typed, "8 999 000-00-00");
    EXPECT_TRUE(read->dial.auto_answer);
    EXPECT_EQ(read->dial.browser_phone, "a1b2");  // the page that rings is on the instance that dials
    EXPECT_EQ(read->expires_at_ms, 0);  // none given: never expires
    request.expires_at_ms = 1'800'000'000'123;
    EXPECT_EQ(decode_control(encode_control(request))->expires_at_ms, 1'800'000'000'123);

    const auto ok = decode_reply(encode_reply(ControlReply{"r1", sample_call(), {}}));
    ASSERT_TRUE(ok && ok->result);
    EXPECT_EQ(ok->result->status, calls::CallStatus::held);
    const auto refused = decode_reply(
        encode_reply(ControlReply{"r2", calls::make_error(calls::ErrorCode::invalid_state, "cannot hold: it is ringing"), {}}));
    ASSERT_TRUE(refused);
    ASSERT_FALSE(refused->result);
    EXPECT_EQ(refused->result.error().code, calls::ErrorCode::invalid_state);
    EXPECT_EQ(refused->result.error().message, "cannot hold: it is ringing");
}

TEST(ClusterMessages, ARecordingRequestAndItsBytesGoThroughWhole) {
    ControlRequest request;
    request.request_id = "r5";
    request.reply_to = "ff-2";
    request.action = ControlRequest::Action::recording;
    request.call_id = "2f1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a11";
    request.target = "bytes=100-";
    const auto asked = decode_control(encode_control(request));
    ASSERT_TRUE(asked) << asked.error().message;
    EXPECT_EQ(asked->action, ControlRequest::Action::recording);
    EXPECT_EQ(asked->target, "bytes=100-");

    std::string audio;
    for (int i = 0; i < 1000; ++i) audio.push_back(static_cast<char>(i % 256));  // every byte value, NUL included
    const auto read = decode_reply(encode_reply(ControlReply{"r5", calls::make_error(calls::ErrorCode::internal, "-"),
                                                             calls::RecordingBytes{206, "bytes 100-1099/5000", audio}}));
    ASSERT_TRUE(read && read->recording) << (read ? "no recording" : read.error().message);
    EXPECT_EQ(read->recording->status, 206);
    EXPECT_EQ(read->recording->content_range, "bytes 100-1099/5000");
    EXPECT_EQ(read->recording->body, audio);
    EXPECT_FALSE(decode_reply(R"({"request":"r5","recording":{"status":200,"body":"@@not base64@@"}})"));
    EXPECT_FALSE(decode_reply(R"({"request":"r5","recording":{"body":""}})"));
}

TEST(ClusterMessages, AnOperatorsChoiceReadsBackAndOnlyAvailableOrPausedIsOne) {
    const auto paused = decode_event(encode_operator_choice("two", {"1001", calls::OperatorState::paused, "обед"}));
    ASSERT_TRUE(paused) << paused.error().message;
    EXPECT_EQ(paused->type, EventMessage::Type::operator_choice);
    EXPECT_EQ(paused->origin, "two");
    EXPECT_EQ(paused->choice.extension, "1001");
    EXPECT_EQ(paused->choice.state, calls::OperatorState::paused);
    EXPECT_EQ(paused->choice.reason, "обед");
    EXPECT_FALSE(decode_event(R"({"origin":"x","type":"operator","extension":"1001","state":"oncall"})"));
    EXPECT_FALSE(decode_event(R"({"origin":"x","type":"operator","state":"available"})"));
}

TEST(ClusterMessages, DamagedMessagesAreRefusedWithTheReason) {
    EXPECT_FALSE(decode_event("not json"));
    EXPECT_FALSE(decode_event(R"({"type":"call","event":"call:new","call":{}})"));  // no origin
    const auto unknown = decode_event(R"({"origin":"x","type":"call","event":"call:flew","call":{}})");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("call:flew"), std::string::npos);
    EXPECT_FALSE(decode_control(R"({"request":"r","replyTo":"a","action":"explode"})"));
    EXPECT_FALSE(decode_control(R"({"action":"hangup"})"));
    EXPECT_FALSE(decode_reply(R"({"request":"r","call":{"id":"x"}})"));
    EXPECT_FALSE(decode_owned_call(R"({"call":{}})"));
}

TEST(ClusterMessages, AnAutoAnswerOfAnotherTypeReadsAsFalseInsteadOfThrowing) {
    const auto request = decode_control(
        R"({"request":"r","replyTo":"a","action":"dial","dial":{"extension":"1001","autoAnswer":"yes"}})");
    ASSERT_TRUE(request);
    EXPECT_FALSE(request->dial.auto_answer);
}

TEST(ClusterMessages, AnOwnedCallReadsBack) {
    const auto read = decode_owned_call(encode_owned_call("one", sample_call()));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->owner, "one");
    EXPECT_EQ(read->call.id, sample_call().id);
}

// A link request: what the owner needs to write it, and nothing else of the other kinds.
ControlRequest link_request(calls::CallLink link) {
    ControlRequest request;
    request.request_id = "r7";
    request.reply_to = "two";
    request.action = ControlRequest::Action::link;
    request.call_id = sample_call().id;
    request.link = std::move(link);
    return request;
}

TEST(ClusterMessages, LinkRequestsReadBackWithTheirCustomerOrderOrNote) {
    calls::CallLink customer;
    customer.kind = calls::CallLink::Kind::customer;
    customer.customer = {"c-42", "Иван Петров", "+79991234567"};
    const auto read_customer = decode_control(encode_control(link_request(customer)));
    ASSERT_TRUE(read_customer) << read_customer.error().message;
    EXPECT_EQ(read_customer->action, ControlRequest::Action::link);
    EXPECT_EQ(read_customer->call_id, sample_call().id);
    EXPECT_EQ(read_customer->link.kind, calls::CallLink::Kind::customer);
    EXPECT_EQ(read_customer->link.customer.id, "c-42");
    EXPECT_EQ(read_customer->link.customer.name, "Иван Петров");
    EXPECT_EQ(read_customer->link.customer.phone, "+79991234567");

    calls::CallLink order;
    order.kind = calls::CallLink::Kind::order;
    order.order_id = "ORD-1";
    const auto read_order = decode_control(encode_control(link_request(order)));
    ASSERT_TRUE(read_order) << read_order.error().message;
    EXPECT_EQ(read_order->link.kind, calls::CallLink::Kind::order);
    EXPECT_EQ(read_order->link.order_id, "ORD-1");
    EXPECT_TRUE(read_order->link.customer.id.empty());

    calls::CallLink note;
    note.kind = calls::CallLink::Kind::note;
    note.text = "перезвонить \"завтра\"\nв 10:00";
    note.author = "crm";
    const auto read_note = decode_control(encode_control(link_request(note)));
    ASSERT_TRUE(read_note) << read_note.error().message;
    EXPECT_EQ(read_note->link.kind, calls::CallLink::Kind::note);
    EXPECT_EQ(read_note->link.text, note.text);
    EXPECT_EQ(read_note->link.author, "crm");
}

TEST(ClusterMessages, AButtonRequestCarriesNoLink) {
    ControlRequest request;
    request.request_id = "r8";
    request.reply_to = "two";
    request.action = ControlRequest::Action::hold;
    request.call_id = sample_call().id;
    EXPECT_EQ(encode_control(request).find("\"link\""), std::string::npos);
}

TEST(ClusterMessages, DamagedLinkRequestsAreRefusedWithTheReason) {
    const auto refused = [](const std::string& text) {
        const auto read = decode_control(text);
        EXPECT_FALSE(read) << text;
        return read ? std::string{} : read.error().message;
    };
    const std::string head = R"({"request":"r","replyTo":"two","action":"link",)";
    EXPECT_NE(refused(head + R"("callId":"c1"})").find("without its link"), std::string::npos);
    EXPECT_NE(refused(head + R"("callId":"c1","link":{"kind":"photo"}})").find("photo"), std::string::npos);
    EXPECT_NE(refused(head + R"("link":{"kind":"order","orderId":"o1"}})").find("call id"), std::string::npos);
    EXPECT_NE(refused(head + R"("callId":"c1","link":{"kind":"customer","customer":{"name":"x"}}})").find("customer id"),
              std::string::npos);
    EXPECT_NE(refused(head + R"("callId":"c1","link":{"kind":"customer","customer":"c-42"}})").find("customer"),
              std::string::npos);
    EXPECT_NE(refused(head + R"("callId":"c1","link":{"kind":"order","orderId":7}})").find("order id"),
              std::string::npos);
    EXPECT_NE(refused(head + R"("callId":"c1","link":{"kind":"note","text":""}})").find("note"), std::string::npos);
}

TEST(ClusterMessages, TheRepliesErrorsKeepTheirCodeAcrossInstances) {
    for (const auto code : {calls::ErrorCode::not_found, calls::ErrorCode::forbidden, calls::ErrorCode::unavailable,
                            calls::ErrorCode::timeout, calls::ErrorCode::unreachable, calls::ErrorCode::invalid_argument}) {
        const auto read = decode_reply(encode_reply(ControlReply{"r9", calls::make_error(code, "why"), {}}));
        ASSERT_TRUE(read);
        ASSERT_FALSE(read->result);
        EXPECT_EQ(read->result.error().code, code);
    }
}

}  // namespace
}  // namespace ff::cluster
