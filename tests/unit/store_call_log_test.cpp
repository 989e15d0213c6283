// The call log on both backends (a real SQLite file, a real PostgreSQL server): snapshots, CRM links, paging, filters.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"
#include "store/storage.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;
using calls::TimePoint;

using ff::testing::Backend;
using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

TimePoint at_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

constexpr std::int64_t base_ms = 1'762'000'000'000;

calls::Call make_call(const std::string& id, const std::string& from, const std::string& to,
                      const std::string& extension, std::int64_t start_ms) {
    calls::Call call;
    call.id = id;
    call.sip_call_id = "sip-" + id;
    call.from = from;
    call.to = to;
    call.extension = extension;
    call.start_time = at_ms(start_ms);
    return call;
}

class StoreCallLog : public ff::testing::FreshStorage {
  protected:
    void record(const calls::Call& call) {
        const auto status = storage->record_call(call);
        ASSERT_TRUE(status) << status.error().message;
    }

    std::vector<std::string> ids(const CallPage& page) {
        std::vector<std::string> result;
        for (const auto& call : page.calls) result.push_back(call.id);
        return result;
    }
};

}  // namespace

TEST_P(StoreCallLog, recorded_call_reads_back_with_every_field) {
    calls::Call call = make_call("call-1", "+79991234567", "1001", "1001", base_ms);
    call.direction = calls::Direction::inbound;
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.answer_time = at_ms(base_ms + 3'000);
    call.end_time = at_ms(base_ms + 93'500);
    call.transfer_target = "1002";
    call.customer = calls::Customer{"cust-1", "Иван Иванов", "+79991234567"};
    record(call);

    const auto found = read_value(storage->find_call("call-1"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "call-1");
    EXPECT_EQ(found->sip_call_id, "sip-call-1");
    EXPECT_EQ(found->direction, calls::Direction::inbound);
    EXPECT_EQ(found->from, "+79991234567");
    EXPECT_EQ(found->to, "1001");
    EXPECT_EQ(found->extension, "1001");
    EXPECT_EQ(found->status, calls::CallStatus::ended);
    EXPECT_EQ(found->end_reason, calls::EndReason::completed);
    EXPECT_EQ(found->start_time, at_ms(base_ms));
    EXPECT_EQ(found->answer_time, at_ms(base_ms + 3'000));
    EXPECT_EQ(found->end_time, at_ms(base_ms + 93'500));
    EXPECT_EQ(found->transfer_target, "1002");
    ASSERT_TRUE(found->customer);
    EXPECT_EQ(found->customer->id, "cust-1");
    EXPECT_EQ(found->customer->name, "Иван Иванов");
    EXPECT_EQ(found->customer->phone, "+79991234567");
    EXPECT_EQ(found->talk_seconds(calls::now_ms()), 90);
}

TEST_P(StoreCallLog, unknown_call_is_not_found) {
    EXPECT_FALSE(read_value(storage->find_call("no-such-call")));
}

TEST_P(StoreCallLog, status_change_keeps_orders_notes_and_customer) {
    calls::Call call = make_call("call-1", "+79991234567", "1001", "1001", base_ms);
    record(call);
    ASSERT_TRUE(storage->link_customer("call-1", calls::Customer{"cust-1", "Анна", "+79991234567"}));
    ASSERT_TRUE(storage->link_order("call-1", "order-1"));
    ASSERT_TRUE(storage->add_note("call-1", "wants the promo", "operator 1001"));

    // A later snapshot from the call model: no links, a different customer guess, new state.
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.answer_time = at_ms(base_ms + 1'000);
    call.end_time = at_ms(base_ms + 61'000);
    call.customer = calls::Customer{"cust-2", "Someone else", "+70000000000"};
    call.orders.push_back(calls::OrderLink{"order-from-snapshot", at_ms(base_ms)});
    record(call);

    const auto found = read_value(storage->find_call("call-1"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, calls::CallStatus::ended);
    EXPECT_EQ(found->end_reason, calls::EndReason::completed);
    EXPECT_EQ(found->end_time, at_ms(base_ms + 61'000));
    ASSERT_TRUE(found->customer);
    EXPECT_EQ(found->customer->id, "cust-1");
    EXPECT_EQ(found->customer->name, "Анна");
    ASSERT_EQ(found->orders.size(), 1u);
    EXPECT_EQ(found->orders[0].order_id, "order-1");
    ASSERT_EQ(found->notes.size(), 1u);
    EXPECT_EQ(found->notes[0].text, "wants the promo");
}

TEST_P(StoreCallLog, snapshot_customer_fills_a_row_without_one) {
    calls::Call call = make_call("call-1", "+79991234567", "1001", "1001", base_ms);
    record(call);
    EXPECT_FALSE(read_value(storage->find_call("call-1"))->customer);
    call.customer = calls::Customer{"cust-1", "Анна", "+79991234567"};
    record(call);
    const auto found = read_value(storage->find_call("call-1"));
    ASSERT_TRUE(found->customer);
    EXPECT_EQ(found->customer->id, "cust-1");
}

TEST_P(StoreCallLog, link_customer_replaces_the_customer_and_returns_the_call) {
    record(make_call("call-1", "+79991234567", "1001", "1001", base_ms));
    ASSERT_TRUE(storage->link_customer("call-1", calls::Customer{"cust-1", "Анна", "+79991234567"}));
    const auto linked = storage->link_customer("call-1", calls::Customer{"cust-2", "Борис", "+79997654321"});
    ASSERT_TRUE(linked) << linked.error().message;
    ASSERT_TRUE(linked->customer);
    EXPECT_EQ(linked->customer->id, "cust-2");
    EXPECT_EQ(read_value(storage->find_call("call-1"))->customer->name, "Борис");
}

TEST_P(StoreCallLog, same_order_linked_twice_is_one_row_and_several_orders_keep_their_order) {
    record(make_call("call-1", "+79991234567", "1001", "1001", base_ms));
    ASSERT_TRUE(storage->link_order("call-1", "order-1"));
    const auto again = storage->link_order("call-1", "order-1");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->orders.size(), 1u);
    ASSERT_TRUE(storage->link_order("call-1", "order-2"));
    const auto third = storage->link_order("call-1", "order-3");
    ASSERT_TRUE(third);
    ASSERT_EQ(third->orders.size(), 3u);
    EXPECT_EQ(third->orders[0].order_id, "order-1");
    EXPECT_EQ(third->orders[1].order_id, "order-2");
    EXPECT_EQ(third->orders[2].order_id, "order-3");
    EXPECT_GT(third->orders[0].linked_at, TimePoint{});
}

TEST_P(StoreCallLog, notes_keep_text_author_and_time_in_order) {
    record(make_call("call-1", "+79991234567", "1001", "1001", base_ms));
    const TimePoint before = calls::now_ms();
    ASSERT_TRUE(storage->add_note("call-1", "Клиент интересовался акцией", "Иванов И.И."));
    const auto second = storage->add_note("call-1", "call back tomorrow", "supervisor");
    const TimePoint after = calls::now_ms();
    ASSERT_TRUE(second) << second.error().message;
    ASSERT_EQ(second->notes.size(), 2u);
    EXPECT_EQ(second->notes[0].text, "Клиент интересовался акцией");
    EXPECT_EQ(second->notes[0].author, "Иванов И.И.");
    EXPECT_EQ(second->notes[1].author, "supervisor");
    EXPECT_LT(second->notes[0].id, second->notes[1].id);
    for (const auto& note : second->notes) {
        EXPECT_GE(note.created_at, before);
        EXPECT_LE(note.created_at, after);
    }
}

TEST_P(StoreCallLog, links_on_an_unknown_call_are_not_found_naming_the_call) {
    for (const auto& result :
         {storage->link_customer("ghost-call", calls::Customer{"c", "n", "+79991234567"}),
          storage->link_order("ghost-call", "order-1"), storage->add_note("ghost-call", "text", "author")}) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, calls::ErrorCode::not_found);
        EXPECT_NE(result.error().message.find("ghost-call"), std::string::npos) << result.error().message;
    }
    EXPECT_FALSE(read_value(storage->find_call("ghost-call")));
}

TEST_P(StoreCallLog, pages_are_newest_first_with_a_total_and_their_links) {
    for (int i = 0; i < 25; ++i) {
        record(make_call("call-" + std::to_string(i), "+7999000000" + std::to_string(i % 10), "1001", "1001",
                         base_ms + i * 60'000));
    }
    ASSERT_TRUE(storage->link_order("call-24", "order-a"));
    ASSERT_TRUE(storage->link_order("call-24", "order-b"));
    ASSERT_TRUE(storage->add_note("call-23", "note on 23", "op"));
    ASSERT_TRUE(storage->link_order("call-3", "order-c"));
    ASSERT_TRUE(storage->add_note("call-3", "note on 3", "op"));

    const CallPage first = read_value(storage->list_calls(CallQuery{std::nullopt, std::nullopt, 10, 0}));
    EXPECT_EQ(first.total, 25);
    ASSERT_EQ(first.calls.size(), 10u);
    EXPECT_EQ(first.calls.front().id, "call-24");
    EXPECT_EQ(first.calls.back().id, "call-15");
    EXPECT_EQ(first.calls[0].orders.size(), 2u);
    ASSERT_EQ(first.calls[1].notes.size(), 1u);
    EXPECT_EQ(first.calls[1].notes[0].text, "note on 23");
    EXPECT_TRUE(first.calls[2].orders.empty());

    const CallPage last = read_value(storage->list_calls(CallQuery{std::nullopt, std::nullopt, 10, 20}));
    EXPECT_EQ(last.total, 25);
    EXPECT_EQ(ids(last), (std::vector<std::string>{"call-4", "call-3", "call-2", "call-1", "call-0"}));
    ASSERT_EQ(last.calls[1].orders.size(), 1u);
    EXPECT_EQ(last.calls[1].orders[0].order_id, "order-c");
    ASSERT_EQ(last.calls[1].notes.size(), 1u);
    EXPECT_TRUE(last.calls[0].orders.empty());

    const CallPage beyond = read_value(storage->list_calls(CallQuery{std::nullopt, std::nullopt, 10, 30}));
    EXPECT_EQ(beyond.total, 25);
    EXPECT_TRUE(beyond.calls.empty());
}

TEST_P(StoreCallLog, phone_filter_matches_caller_or_callee) {
    record(make_call("in-1", "+79991234567", "1001", "1001", base_ms));
    record(make_call("out-1", "1002", "+79991234567", "1002", base_ms + 1'000));
    record(make_call("other", "+79997654321", "1001", "1001", base_ms + 2'000));
    record(make_call("in-2", "+79991234567", "1002", "1002", base_ms + 3'000));

    const CallPage page = read_value(storage->list_calls(CallQuery{std::nullopt, std::string("+79991234567"), 100, 0}));
    EXPECT_EQ(page.total, 3);
    EXPECT_EQ(ids(page), (std::vector<std::string>{"in-2", "out-1", "in-1"}));

    const CallPage paged = read_value(storage->list_calls(CallQuery{std::nullopt, std::string("+79991234567"), 1, 1}));
    EXPECT_EQ(paged.total, 3);
    EXPECT_EQ(ids(paged), (std::vector<std::string>{"out-1"}));

    EXPECT_EQ(read_value(storage->list_calls(CallQuery{std::nullopt, std::string("+70000000000"), 100, 0})).total, 0);
}

TEST_P(StoreCallLog, extension_filter_shows_one_operator_and_combines_with_phone) {
    record(make_call("a", "+79991234567", "1001", "1001", base_ms));
    record(make_call("b", "+79991234567", "1002", "1002", base_ms + 1'000));
    record(make_call("c", "+79997654321", "1001", "1001", base_ms + 2'000));

    const CallPage mine = read_value(storage->list_calls(CallQuery{std::string("1001"), std::nullopt, 100, 0}));
    EXPECT_EQ(mine.total, 2);
    EXPECT_EQ(ids(mine), (std::vector<std::string>{"c", "a"}));

    const CallPage both =
        read_value(storage->list_calls(CallQuery{std::string("1001"), std::string("+79991234567"), 100, 0}));
    EXPECT_EQ(both.total, 1);
    EXPECT_EQ(ids(both), (std::vector<std::string>{"a"}));
}

TEST_P(StoreCallLog, last_customer_for_phone_is_the_most_recent_linked_one) {
    record(make_call("old", "+79991234567", "1001", "1001", base_ms));
    record(make_call("new", "1002", "+79991234567", "1002", base_ms + 60'000));
    record(make_call("newest-unlinked", "+79991234567", "1001", "1001", base_ms + 120'000));
    record(make_call("by-customer-phone", "+70000000001", "1001", "1001", base_ms + 30'000));
    ASSERT_TRUE(storage->link_customer("old", calls::Customer{"cust-old", "Старый", "+79991234567"}));
    ASSERT_TRUE(storage->link_customer("new", calls::Customer{"cust-new", "Новый", "+79991234567"}));
    ASSERT_TRUE(
        storage->link_customer("by-customer-phone", calls::Customer{"cust-cp", "Другой", "+79995550000"}));

    const auto customer = read_value(storage->last_customer_for_phone("+79991234567"));
    ASSERT_TRUE(customer);
    EXPECT_EQ(customer->id, "cust-new");
    EXPECT_EQ(customer->name, "Новый");

    const auto by_customer_phone = read_value(storage->last_customer_for_phone("+79995550000"));
    ASSERT_TRUE(by_customer_phone);
    EXPECT_EQ(by_customer_phone->id, "cust-cp");

    EXPECT_FALSE(read_value(storage->last_customer_for_phone("+70000000009")));
    EXPECT_FALSE(read_value(storage->last_customer_for_phone("")));
}

TEST_P(StoreCallLog, a_media_report_reads_back_and_a_later_snapshot_without_one_keeps_it) {
    calls::Call call = make_call("call-m", "+79991234567", "1001", "1001", base_ms);
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.answer_time = at_ms(base_ms + 1'000);
    call.end_time = at_ms(base_ms + 61'000);
    call.media = calls::MediaReport{{0, std::nullopt, std::nullopt}, {3000, 4, 2.0}, true, false};
    record(call);
    auto found = read_value(storage->find_call("call-m"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->media, call.media);

    call.media.reset();  // e.g. a spooled snapshot taken before the end
    record(call);
    found = read_value(storage->find_call("call-m"));
    ASSERT_TRUE(found && found->media);
    EXPECT_TRUE(found->media->one_way);
    const auto page = read_value(storage->list_calls(CallQuery{}));
    ASSERT_EQ(page.calls.size(), 1u);
    EXPECT_EQ(page.calls[0].media, found->media);

    record(make_call("call-plain", "+79991234568", "1001", "1001", base_ms + 1));
    EXPECT_FALSE(read_value(storage->find_call("call-plain"))->media);
}

TEST_P(StoreCallLog, a_recording_made_after_the_end_is_kept_and_later_snapshots_do_not_lose_it) {
    calls::Call call = make_call("call-r", "+79991234567", "1001", "1001", base_ms);
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.answer_time = at_ms(base_ms + 1'000);
    call.end_time = at_ms(base_ms + 61'000);
    call.recording = calls::Recording{calls::RecordingStatus::processing, 0, 0, {}, {}};
    record(call);
    EXPECT_EQ(read_value(storage->find_call("call-r"))->recording, call.recording);

    const calls::Recording ready{calls::RecordingStatus::ready, 60'020, 181'244, {}, "ff-1"};
    auto updated = storage->set_recording("call-r", ready);
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ(updated->recording, ready);
    EXPECT_EQ(updated->answer_time, call.answer_time);

    call.recording.reset();  // a snapshot that knew nothing of it (an older spool line)
    record(call);
    EXPECT_EQ(read_value(storage->find_call("call-r"))->recording, ready);
    EXPECT_EQ(read_value(storage->list_calls(CallQuery{})).calls.at(0).recording, ready);

    const calls::Recording failed{calls::RecordingStatus::failed, 0, 0, "the capture holds no G.711 audio", {}};
    EXPECT_EQ(storage->set_recording("call-r", failed)->recording, failed);
    const auto missing = storage->set_recording("no-such-call", ready);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, calls::ErrorCode::not_found);
}

FF_STORAGE_BACKENDS(StoreCallLog);
