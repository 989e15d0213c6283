// The active-call table: every change is published, in order, and ended calls leave it.
#include <gtest/gtest.h>

#include "calls/call_registry.hpp"

using namespace ff::calls;

namespace {

struct Recorder {
    std::vector<CallEvent> events;
    explicit Recorder(EventBus& bus) {
        bus.subscribe([this](const Event& event) {
            if (const auto* call_event = std::get_if<CallEvent>(&event)) events.push_back(*call_event);
        });
    }
};

}  // namespace

TEST(CallRegistry, lifecycle_publishes_seed_events_and_removes_ended_call) {
    EventBus bus;
    Recorder recorder(bus);
    CallRegistry registry(bus);
    Call call;
    call.from = "+79991234567";
    call.to = "1001";
    call.extension = "1001";
    const auto created = registry.create(call);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->id.size(), 36u);
    const std::string id = created->id;
    ASSERT_TRUE(registry.apply(id, transition::Ringing{}));
    ASSERT_TRUE(registry.apply(id, transition::Answered{now_ms()}));
    ASSERT_TRUE(registry.apply(id, transition::Held{}));
    ASSERT_TRUE(registry.apply(id, transition::Unheld{}));
    EXPECT_EQ(registry.size(), 1u);
    ASSERT_TRUE(registry.apply(id, transition::Ended{EndReason::completed, now_ms()}));
    EXPECT_EQ(registry.size(), 0u);
    EXPECT_FALSE(registry.find(id));

    std::vector<std::string_view> names;
    for (const auto& event : recorder.events) names.push_back(event_name(event.kind));
    EXPECT_EQ(names, (std::vector<std::string_view>{"call:new", "call:ringing", "call:answered", "call:held",
                                                    "call:unheld", "call:ended"}));
    EXPECT_EQ(recorder.events.back().call.end_reason, EndReason::completed);
}

TEST(CallRegistry, refused_transition_publishes_nothing_and_keeps_state) {
    EventBus bus;
    Recorder recorder(bus);
    CallRegistry registry(bus);
    const auto created = registry.create(Call{});
    ASSERT_TRUE(created);
    const auto version = registry.version();
    const auto result = registry.apply(created->id, transition::Unheld{});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::invalid_state);
    EXPECT_EQ(registry.version(), version);
    EXPECT_EQ(recorder.events.size(), 1u);
    EXPECT_EQ(registry.find(created->id)->status, CallStatus::ringing);
}

TEST(CallRegistry, unknown_call_is_not_found) {
    EventBus bus;
    CallRegistry registry(bus);
    const auto result = registry.apply("nope", transition::Held{});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::not_found);
}

TEST(CallRegistry, update_links_customer_and_publishes_call_updated) {
    EventBus bus;
    Recorder recorder(bus);
    CallRegistry registry(bus);
    const auto created = registry.create(Call{});
    const auto updated = registry.update(created->id, [](Call& call) {
        call.customer = Customer{"c-1", "Иван", "+79991234567"};
        call.status = CallStatus::ended;  // ignored: state changes only through transitions
    });
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->status, CallStatus::ringing);
    EXPECT_EQ(recorder.events.back().kind, CallEventKind::updated);
    EXPECT_EQ(registry.find(created->id)->customer->name, "Иван");
}

// A queue's offers: each one is a new call for the members rung (call:new), and the change that ends an offer
// names who was offered it before, so their consoles hear that it rings for them no more.
TEST(CallRegistry, queue_offers_tell_the_members_offered_before_and_the_line_moved_from) {
    EventBus bus;
    Recorder recorder(bus);
    CallRegistry registry(bus);
    Call call;
    call.from = "+79991234567";
    call.to = "2000";
    call.extension = "2000";
    const std::string id = registry.create(call)->id;
    ASSERT_TRUE(registry.apply(id, transition::Offered{{"1001", "1002"}, now_ms()}));
    ASSERT_TRUE(registry.apply(id, transition::Offered{{"1002"}, now_ms()}));
    ASSERT_EQ(recorder.events.size(), 3u);
    EXPECT_EQ(recorder.events[1].kind, CallEventKind::created);
    EXPECT_EQ(recorder.events[1].call.offered_to, (std::vector<std::string>{"1001", "1002"}));
    EXPECT_TRUE(recorder.events[1].previous_extension.empty()) << "still the queue's";
    EXPECT_EQ(recorder.events[2].call.extension, "1002");
    EXPECT_EQ(recorder.events[2].previous_extension, "2000");
    EXPECT_EQ(recorder.events[2].offered_before, (std::vector<std::string>{"1001", "1002"}));
}
