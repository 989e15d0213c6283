// Who rings for whom in a queue: callers in the order they joined, one offer at a time per member, the best
// tier first, and each strategy's choice; members who did not answer a caller come again only after the
// others; callers past the maximum wait are named.
#include <gtest/gtest.h>

#include <set>

#include "calls/queue_dispatcher.hpp"

using namespace ff::calls;

namespace {

TimePoint at_s(std::int64_t seconds) {
    return TimePoint{std::chrono::milliseconds{1'700'000'000'000 + seconds * 1000}};
}

QueueConfig queue_of(QueueStrategy strategy, std::vector<QueueMember> members) {
    QueueConfig queue;
    queue.extension = "2000";
    queue.name = "Доставка";
    queue.strategy = strategy;
    queue.members = std::move(members);
    queue.max_wait = std::chrono::seconds(60);
    return queue;
}

const std::vector<QueueMember> three = {{"1001", 1}, {"1002", 1}, {"1003", 1}};

struct Fixture {
    std::set<std::string> free{"1001", "1002", "1003"};
    QueueDispatcher dispatcher{[this](const std::string& extension) { return free.contains(extension); }};

    explicit Fixture(QueueConfig queue) { dispatcher.configure({std::move(queue)}); }

    void callers(int count) {
        for (int i = 1; i <= count; ++i) dispatcher.join("2000", "caller-" + std::to_string(i), at_s(i));
    }
    // Answers every offer made now by its first member, who then is on a call (not free).
    std::vector<QueueOffer> answer_all(std::int64_t second) {
        auto offers = dispatcher.dispatch();
        for (const auto& offer : offers) {
            dispatcher.answered(offer.call_id, offer.extensions.front(), at_s(second));
            free.erase(offer.extensions.front());
        }
        return offers;
    }
    void hang_up(const std::string& extension, std::int64_t second) {
        dispatcher.member_finished(extension, at_s(second));
        free.insert(extension);
    }
};

}  // namespace

TEST(QueueDispatcher, ringall_rings_every_free_member_for_the_caller_waiting_longest) {
    Fixture queue(queue_of(QueueStrategy::ringall, three));
    queue.callers(2);
    const auto offers = queue.dispatcher.dispatch();
    ASSERT_EQ(offers.size(), 1u);  // every member rings for caller 1; nobody is left for caller 2
    EXPECT_EQ(offers[0], (QueueOffer{"caller-1", {"1001", "1002", "1003"}}));
    EXPECT_TRUE(queue.dispatcher.dispatch().empty()) << "nothing more while they ring";

    queue.dispatcher.answered("caller-1", "1002", at_s(10));
    // 1002's state may still say available a moment: having taken a caller, 1002 is not offered the next.
    EXPECT_EQ(queue.dispatcher.dispatch(), (std::vector<QueueOffer>{{"caller-2", {"1001", "1003"}}}));
}

TEST(QueueDispatcher, round_robin_hands_five_callers_to_three_members_in_turn) {
    Fixture queue(queue_of(QueueStrategy::round_robin, three));
    queue.callers(5);
    std::vector<std::string> order;
    for (const auto& offer : queue.answer_all(10)) order.push_back(offer.call_id + ">" + offer.extensions[0]);
    EXPECT_EQ(order, (std::vector<std::string>{"caller-1>1001", "caller-2>1002", "caller-3>1003"}));
    EXPECT_EQ(queue.dispatcher.callers("2000").size(), 2u);
    EXPECT_EQ(queue.dispatcher.callers("2000")[0].position, 1);
    EXPECT_EQ(queue.dispatcher.callers("2000")[0].call_id, "caller-4");

    queue.hang_up("1001", 20);
    queue.hang_up("1002", 21);
    // The turn goes on after 1003, the member offered last.
    const auto next = queue.answer_all(30);
    ASSERT_EQ(next.size(), 2u);
    EXPECT_EQ(next[0], (QueueOffer{"caller-4", {"1001"}}));
    EXPECT_EQ(next[1], (QueueOffer{"caller-5", {"1002"}}));
}

TEST(QueueDispatcher, longest_idle_offers_the_member_whose_last_call_ended_longest_ago) {
    Fixture queue(queue_of(QueueStrategy::longest_idle, three));
    queue.free = {};
    queue.hang_up("1003", 5);
    queue.hang_up("1001", 7);
    queue.hang_up("1002", 6);
    queue.callers(3);
    const auto offers = queue.answer_all(10);
    ASSERT_EQ(offers.size(), 3u);
    EXPECT_EQ(offers[0].extensions, std::vector<std::string>{"1003"});
    EXPECT_EQ(offers[1].extensions, std::vector<std::string>{"1002"});
    EXPECT_EQ(offers[2].extensions, std::vector<std::string>{"1001"});
}

TEST(QueueDispatcher, fewest_calls_offers_the_member_who_took_fewest_of_the_queues_calls) {
    Fixture queue(queue_of(QueueStrategy::fewest_calls, three));
    queue.callers(2);
    queue.free = {"1002"};
    queue.answer_all(5);  // 1002 took caller 1
    queue.hang_up("1002", 6);
    queue.free = {"1001", "1002"};
    EXPECT_EQ(queue.dispatcher.dispatch(), (std::vector<QueueOffer>{{"caller-2", {"1001"}}}));
}

TEST(QueueDispatcher, a_higher_tier_rings_only_while_no_lower_tier_member_is_free) {
    Fixture queue(queue_of(QueueStrategy::ringall, {{"1001", 1}, {"1002", 2}, {"1003", 2}}));
    queue.callers(1);
    EXPECT_EQ(queue.dispatcher.dispatch(), (std::vector<QueueOffer>{{"caller-1", {"1001"}}}));
    queue.dispatcher.offer_failed("caller-1");
    // 1001 did not answer: the next tier is tried before 1001 again.
    EXPECT_EQ(queue.dispatcher.dispatch(), (std::vector<QueueOffer>{{"caller-1", {"1002", "1003"}}}));
    queue.dispatcher.offer_failed("caller-1");
    // Everyone tried: from the start again.
    EXPECT_EQ(queue.dispatcher.dispatch(), (std::vector<QueueOffer>{{"caller-1", {"1001"}}}));
}

TEST(QueueDispatcher, nobody_free_means_no_offer_and_callers_past_the_maximum_wait_are_named) {
    Fixture queue(queue_of(QueueStrategy::round_robin, three));
    queue.free = {};
    queue.callers(2);
    EXPECT_TRUE(queue.dispatcher.dispatch().empty());
    const auto late = queue.dispatcher.overdue(at_s(61));
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].call_id, "caller-1");
    EXPECT_EQ(late[0].queue, "2000");
    queue.dispatcher.leave("caller-1");
    EXPECT_FALSE(queue.dispatcher.waiting("caller-1"));
    EXPECT_EQ(queue.dispatcher.callers("2000").front().position, 1);
}
