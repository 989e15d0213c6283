// Webhooks' pure parts: the signature a receiver checks, which events a webhook gets, and the retry schedule.
#include <gtest/gtest.h>

#include "webhooks/retry_schedule.hpp"
#include "webhooks/webhook_events.hpp"
#include "webhooks/webhook_signature.hpp"

using namespace ff;
using namespace ff::webhooks;

TEST(WebhookSignature, is_hmac_sha256_of_the_time_and_the_body) {
    // RFC 4231, test case 2.
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(signature_header("Jefe", 1700000000, "{}"),
              "t=1700000000,v1=" + hmac_sha256_hex("Jefe", "1700000000.{}"));
    EXPECT_NE(new_secret(), new_secret());
    EXPECT_EQ(new_secret().size(), 6u + 64u);
    EXPECT_EQ(new_event_id().rfind("evt_", 0), 0u);
}

TEST(WebhookEvents, a_webhook_gets_the_events_it_names_or_their_family) {
    EXPECT_TRUE(selects({"call:ended"}, "call:ended"));
    EXPECT_FALSE(selects({"call:ended"}, "call:new"));
    EXPECT_TRUE(selects({"call:*"}, "call:answered"));
    EXPECT_FALSE(selects({"call:*"}, "callback:missed"));
    EXPECT_TRUE(selects({"*"}, "queue:state"));
    EXPECT_EQ(check_patterns({"call:*", "operator:state", "recording:ready"}), "");
    EXPECT_NE(check_patterns({}).find("at least one"), std::string::npos);
    EXPECT_NE(check_patterns({"call:ended", "calls:*"}).find("\"calls:*\" names no event"), std::string::npos);
}

TEST(WebhookEvents, an_event_becomes_one_body_for_every_webhook_that_wants_it) {
    WebhookSelection selection;
    EXPECT_TRUE(selection.events_for(calls::PauseReasonsEvent{{"обед"}}, 0).empty()) << "nobody subscribed";
    selection.replace({{"wh_calls", "http://a/", {"call:*"}, "s", 0}, {"wh_ready", "http://b/", {"recording:ready"}, "s", 0}});
    calls::Call call;
    call.id = "call-1";
    call.recording = calls::Recording{calls::RecordingStatus::ready, 3000, 100, {}, {}};
    const auto events = selection.events_for(calls::CallEvent{calls::CallEventKind::updated, call, {}, {}, true}, 1700000000123);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "call:updated");
    EXPECT_EQ(events[0].webhook_ids, (std::vector<std::string>{"wh_calls"}));
    EXPECT_EQ(events[0].ordering_key, "call-1");
    EXPECT_EQ(events[1].type, "recording:ready");
    EXPECT_EQ(events[1].webhook_ids, (std::vector<std::string>{"wh_ready"}));
    const auto body = nlohmann::json::parse(events[1].body);
    EXPECT_EQ(body["id"], events[1].id);
    EXPECT_EQ(body["occurredAt"], "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(body["data"]["id"], "call-1");
    // A later update of the same call (a note) is no second recording:ready.
    EXPECT_EQ(selection.events_for(calls::CallEvent{calls::CallEventKind::updated, call, {}}, 0).size(), 1u);

    const auto seen = selection.changes();
    selection.remove("wh_calls");
    selection.replace_if_unchanged({{"wh_calls", "http://a/", {"call:*"}, "s", 0}}, seen);  // a reload read before
    EXPECT_EQ(selection.size(), 1u) << "a reload older than a change does not undo it";
}

TEST(WebhookRetry, waits_double_with_jitter_up_to_the_longest_then_gives_up_after_the_window) {
    RetryPolicy policy{std::chrono::seconds(1), std::chrono::seconds(60), std::chrono::hours(1)};
    const std::int64_t created = 0;
    EXPECT_EQ(next_attempt(policy, 1, created, 1000, 0.0), 1500);   // half of 1 s
    EXPECT_EQ(next_attempt(policy, 1, created, 1000, 1.0), 2000);   // all of 1 s
    EXPECT_EQ(next_attempt(policy, 3, created, 1000, 1.0), 5000);   // 4 s
    EXPECT_EQ(next_attempt(policy, 30, created, 1000, 1.0), 61000); // capped at 60 s
    EXPECT_EQ(next_attempt(policy, 30, created, 3'599'000, 1.0), 3'600'000) << "the last try at the window's end";
    EXPECT_EQ(next_attempt(policy, 31, created, 3'600'000, 0.5), std::nullopt);
}
