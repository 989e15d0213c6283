// The webhooks' outbox on both backends: an event goes in once per webhook that wants it, in one transaction
// with its call's record; deliveries are claimed oldest first, one call's next only once its previous one is
// no longer pending, never by two claims at once; outcomes, figures and pruning.
#include <gtest/gtest.h>

#include <map>

#include "store/storage.hpp"
#include "support/storage_backends.hpp"

using namespace ff;
using namespace ff::store;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;

class StoreWebhooks : public ff::testing::FreshStorage {
  protected:
    void subscribe(const std::string& id) {
        ASSERT_TRUE(storage->insert_webhook(Webhook{id, "http://127.0.0.1:9/" + id, {"call:*"}, "whsec_" + id, t0}));
    }
    OutboxEvent event(const std::string& id, const std::string& call, std::vector<std::string> webhooks) {
        return OutboxEvent{id, "call:new", call, t0, "{\"id\":\"" + id + "\"}", std::move(webhooks)};
    }
    std::vector<std::string> claim(const std::string& instance, std::int64_t now, int limit = 10) {
        auto due = storage->claim_deliveries(instance, now, 30'000, limit);
        EXPECT_TRUE(due) << due.error().message;
        std::vector<std::string> claimed;
        for (const auto& delivery : due.value()) {
            claimed.push_back(delivery.webhook_id + "/" + delivery.event_id);
            claimed_[claimed.back()] = delivery;
        }
        return claimed;
    }
    void finish(const std::string& what, DeliveryState state, std::int64_t now, std::int64_t next = 0) {
        ASSERT_TRUE(claimed_.contains(what)) << what << " was never claimed";
        const bool ok = state == DeliveryState::delivered;
        ASSERT_TRUE(storage->finish_delivery({claimed_[what].seq, state, now, next ? next : now,
                                              ok ? std::optional<int>(200) : 500, ok ? "" : "HTTP 500"}));
    }
    std::map<std::string, DueDelivery> claimed_;  // by "webhook/event", the latest claim of each
};

}  // namespace

TEST_P(StoreWebhooks, a_call_record_and_its_events_are_written_together_and_each_event_once) {
    subscribe("wh_a");
    subscribe("wh_b");
    calls::Call call;
    call.id = "call-1";
    call.from = "+79990000001";
    call.to = "1001";
    call.start_time = calls::TimePoint{std::chrono::milliseconds{t0}};
    ASSERT_TRUE(storage->record({LogRecord{call, {event("evt_1", "call-1", {"wh_a", "wh_b"})}}}));
    // A spool replayed after a crash writes the same event again: nothing doubles. A webhook deleted meanwhile
    // is owed nothing. Both in one transaction, as the writer sends a burst.
    ASSERT_TRUE(storage->record({LogRecord{call, {event("evt_1", "call-1", {"wh_a", "wh_b"})}},
                                 LogRecord{std::nullopt, {event("evt_2", "", {"wh_gone"})}}}));
    EXPECT_TRUE(storage->find_call("call-1").value().has_value());
    EXPECT_EQ(claim("i1", t0), (std::vector<std::string>{"wh_a/evt_1", "wh_b/evt_1"}));
    const auto& due = claimed_.at("wh_a/evt_1");
    EXPECT_EQ(due.url, "http://127.0.0.1:9/wh_a");
    EXPECT_EQ(due.secret, "whsec_wh_a");
    EXPECT_EQ(due.type, "call:new");
    EXPECT_EQ(due.body, "{\"id\":\"evt_1\"}");
    EXPECT_EQ(due.attempts, 0);
}

TEST_P(StoreWebhooks, one_calls_deliveries_go_in_order_and_a_claim_holds_until_it_runs_out_or_is_freed) {
    subscribe("wh_a");
    ASSERT_TRUE(storage->write_outbox({event("evt_1", "call-1", {"wh_a"}), event("evt_2", "call-1", {"wh_a"}),
                                       event("evt_3", "call-2", {"wh_a"})}));
    // call-1's second event waits for its first; call-2's goes beside it.
    EXPECT_EQ(claim("i1", t0), (std::vector<std::string>{"wh_a/evt_1", "wh_a/evt_3"}));
    EXPECT_TRUE(claim("i2", t0 + 1000).empty()) << "claimed by i1 until t0 + 30 s";
    finish("wh_a/evt_1", DeliveryState::pending, t0 + 1000, t0 + 5000);  // failed: again at t0 + 5 s
    EXPECT_TRUE(claim("i2", t0 + 2000).empty()) << "evt_1 not due yet, and evt_2 waits behind it";
    EXPECT_EQ(claim("i2", t0 + 5000), (std::vector<std::string>{"wh_a/evt_1"}));
    finish("wh_a/evt_1", DeliveryState::delivered, t0 + 5000);
    EXPECT_EQ(claim("i2", t0 + 5000), (std::vector<std::string>{"wh_a/evt_2"}));
    // i1 died with evt_3 in flight: its claim runs out, or its next start frees it at once.
    ASSERT_TRUE(storage->release_claims("i1"));
    EXPECT_EQ(claim("i2", t0 + 6000), (std::vector<std::string>{"wh_a/evt_3"}));

    const auto deliveries = storage->list_deliveries("wh_a", 10);
    ASSERT_TRUE(deliveries);
    ASSERT_EQ(deliveries->size(), 3u);
    const DeliveryRecord& first = deliveries->back();  // newest first
    EXPECT_EQ(first.event_id, "evt_1");
    EXPECT_EQ(first.state, DeliveryState::delivered);
    EXPECT_EQ(first.attempts, 2);
    EXPECT_EQ(first.http_status, 200);
    const auto figures = storage->webhook_figures();
    ASSERT_TRUE(figures);
    ASSERT_EQ(figures->size(), 1u);
    EXPECT_EQ(figures->front().pending, 2);
    EXPECT_EQ(figures->front().delivered, 1);
    EXPECT_EQ(figures->front().oldest_pending_ms, t0);
}

TEST_P(StoreWebhooks, deleting_a_webhook_drops_what_it_was_owed_and_pruning_forgets_old_deliveries) {
    subscribe("wh_a");
    subscribe("wh_b");
    ASSERT_TRUE(storage->write_outbox({event("evt_1", "", {"wh_a", "wh_b"})}));
    ASSERT_TRUE(storage->delete_webhook("wh_b"));
    EXPECT_EQ(storage->delete_webhook("wh_b").error().code, calls::ErrorCode::not_found);
    EXPECT_EQ(claim("i1", t0), (std::vector<std::string>{"wh_a/evt_1"}));
    finish("wh_a/evt_1", DeliveryState::failed, t0 + 1000);
    ASSERT_TRUE(storage->prune_deliveries(t0 + 500));
    EXPECT_EQ(storage->list_deliveries("wh_a", 10)->size(), 1u) << "attempted after the cut: kept";
    ASSERT_TRUE(storage->prune_deliveries(t0 + 2000));
    EXPECT_TRUE(storage->list_deliveries("wh_a", 10)->empty());
    auto webhooks = storage->list_webhooks();
    ASSERT_TRUE(webhooks);
    ASSERT_EQ(webhooks->size(), 1u);
    EXPECT_EQ(webhooks->front().events, (std::vector<std::string>{"call:*"}));
}

FF_STORAGE_BACKENDS(StoreWebhooks);
