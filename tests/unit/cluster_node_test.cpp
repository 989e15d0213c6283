// Two instances in one process, each with its own call registry, sharing a real redis-server. The SIP engine
// of each is stood in for by RegistryControl (below): these tests are about what crosses Redis; the lab
// tests prove the same with real calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <future>
#include <thread>

#include "calls/call_registry.hpp"
#include "cluster/cluster_call_view.hpp"
#include "cluster/cluster_node.hpp"
#include "cluster/routed_call_control.hpp"
#include "cluster/routed_call_links.hpp"
#include "support/redis_server.hpp"

namespace ff::cluster {
namespace {

using namespace std::chrono_literals;

// Stand-in for an instance's SIP engine: hangup and hold change the registry at once.
class RegistryControl final : public calls::CallControl {
  public:
    explicit RegistryControl(calls::CallRegistry& registry) : registry_(registry) {}
    void dial(calls::DialRequest request, Completion done) override {
        calls::Call call;
        call.direction = calls::Direction::outbound;
        call.from = request.extension;
        call.to = request.destination;
        call.extension = request.extension;
        done(registry_.create(call));
    }
    void answer(std::string id, Completion done) override { done(registry_.apply(id, calls::transition::Answered{calls::now_ms()})); }
    void hangup(std::string id, Completion done) override {
        done(registry_.apply(id, calls::transition::Ended{calls::EndReason::completed, calls::now_ms()}));
    }
    void hold(std::string id, Completion done) override { done(registry_.apply(id, calls::transition::Held{})); }
    void unhold(std::string id, Completion done) override { done(registry_.apply(id, calls::transition::Unheld{})); }
    void transfer(std::string, std::string, Completion done) override {
        done(calls::make_error(calls::ErrorCode::unavailable, "not in this test"));
    }
    void consult(std::string id, std::string target, Completion done) override {
        done(registry_.apply(id, calls::transition::ConsultStarted{std::move(target), calls::now_ms()}));
    }
    void settle_transfer(std::string id, bool, Completion done) override {
        done(registry_.apply(id, calls::transition::TransferFailed{}));
    }
    calls::TelephonyStatus status() const override {
        std::lock_guard lock(mutex_);
        return status_;
    }
    void set_phone(const std::string& extension, bool registered) {
        std::lock_guard lock(mutex_);
        status_.lines = {calls::LineState{extension, extension, extension, true, registered, ""}};
    }

  private:
    calls::CallRegistry& registry_;
    mutable std::mutex mutex_;
    calls::TelephonyStatus status_;
};

// Collects what a node delivers to its stream and what it records, so a test can wait for it.
struct Received {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<calls::CallEvent> events;
    std::vector<calls::Call> recorded;

    template <class Predicate>
    bool wait_for(std::chrono::milliseconds limit, Predicate predicate) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return predicate(*this); });
    }
};

struct Instance {
    calls::EventBus bus;
    calls::CallRegistry registry{bus};
    RegistryControl engine{registry};
    ClusterNode node;
    ClusterCallView view{registry, node.remote()};
    RoutedCallControl control{engine, registry, node};
    RoutedCallLinks links{registry, node};
    Received received;

    Instance(const testing::RedisServer& redis, const std::string& id, boost::asio::io_context& io)
        : node(options(redis, id), registry, bus, io) {
        ClusterHooks hooks;
        hooks.deliver = [this](const calls::Event& event) {
            if (const auto* call = std::get_if<calls::CallEvent>(&event)) {
                std::lock_guard lock(received.mutex);
                received.events.push_back(*call);
                received.changed.notify_all();
            }
        };
        hooks.record_ended = [this](const calls::Call& call) {
            std::lock_guard lock(received.mutex);
            received.recorded.push_back(call);
            received.changed.notify_all();
        };
        // Stand-in for the API's writing of a link: the live call only, no call log here.
        hooks.apply_link = [this](const std::string& call_id, calls::CallLink link, calls::CallControl::Completion done) {
            done(registry.update(call_id, [&link](calls::Call& call) {
                if (link.kind == calls::CallLink::Kind::customer) call.customer = link.customer;
                if (link.kind == calls::CallLink::Kind::order) call.orders.push_back({link.order_id, calls::now_ms()});
                if (link.kind == calls::CallLink::Kind::note) call.notes.push_back({1, link.text, link.author, calls::now_ms()});
            }));
        };
        node.start(engine, hooks);
    }

    static ClusterOptions options(const testing::RedisServer& redis, const std::string& id) {
        ClusterOptions options;
        options.redis = redis.endpoint();
        options.instance_id = id;
        options.heartbeat_ttl = 1000ms;
        options.tick = 250ms;
        options.control_timeout = 2000ms;
        return options;
    }

    bool wait_up() {
        for (int i = 0; i < 200 && !node.up(); ++i) std::this_thread::sleep_for(25ms);  // connecting
        return node.up();
    }
};

calls::Call ringing_call(const std::string& extension) {
    calls::Call call;
    call.from = "+79991234567";
    call.to = extension;
    call.extension = extension;
    return call;
}

calls::Result<calls::Call> wait_result(std::future<calls::Result<calls::Call>>& future) {
    if (future.wait_for(5s) != std::future_status::ready)
        return calls::make_error(calls::ErrorCode::internal, "no answer within 5 s");
    return future.get();
}

class ClusterNodeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(redis_.start()) << "redis-server must run for this test";
        io_thread_ = std::thread([this] { io_.run(); });
    }
    void TearDown() override {
        work_.reset();
        io_.stop();
        if (io_thread_.joinable()) io_thread_.join();
    }

    testing::RedisServer redis_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::thread io_thread_;
};

TEST_F(ClusterNodeTest, AnotherInstancesCallIsSeenListedAndControlled) {
    Instance one(redis_, "one", io_);
    Instance two(redis_, "two", io_);
    ASSERT_TRUE(one.wait_up() && two.wait_up());

    const auto created = one.registry.create(ringing_call("1001"));
    ASSERT_TRUE(created);
    const auto id = created->id;
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) {
        return !r.events.empty() && r.events.back().call.id == id &&
               r.events.back().kind == calls::CallEventKind::created;
    }));
    ASSERT_EQ(two.view.active().size(), 1u);
    EXPECT_EQ(two.view.active().front().id, id);

    std::promise<calls::Result<calls::Call>> answered;
    auto answered_future = answered.get_future();
    two.control.answer(id, [&answered](calls::Result<calls::Call> result) { answered.set_value(std::move(result)); });
    const auto answer = wait_result(answered_future);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->status, calls::CallStatus::answered);
    EXPECT_EQ(one.registry.find(id)->status, calls::CallStatus::answered);  // it happened at the owner

    // An attended transfer asked of instance two is carried out by the owner, started and cancelled.
    std::promise<calls::Result<calls::Call>> consulted;
    auto consulted_future = consulted.get_future();
    two.control.consult(id, "1002", [&consulted](calls::Result<calls::Call> result) { consulted.set_value(std::move(result)); });
    const auto consult = wait_result(consulted_future);
    ASSERT_TRUE(consult) << consult.error().message;
    ASSERT_TRUE(one.registry.find(id)->consultation);
    EXPECT_EQ(one.registry.find(id)->consultation->target, "1002");
    std::promise<calls::Result<calls::Call>> cancelled;
    auto cancelled_future = cancelled.get_future();
    two.control.settle_transfer(id, false, [&cancelled](calls::Result<calls::Call> result) { cancelled.set_value(std::move(result)); });
    ASSERT_TRUE(wait_result(cancelled_future));
    EXPECT_EQ(one.registry.find(id)->status, calls::CallStatus::answered);
    EXPECT_FALSE(one.registry.find(id)->consultation);

    std::promise<calls::Result<calls::Call>> refused;
    auto refused_future = refused.get_future();
    two.control.unhold(id, [&refused](calls::Result<calls::Call> result) { refused.set_value(std::move(result)); });
    const auto unhold = wait_result(refused_future);
    ASSERT_FALSE(unhold);  // the owner's refusal comes back as it was
    EXPECT_EQ(unhold.error().code, calls::ErrorCode::invalid_state);

    std::promise<calls::Result<calls::Call>> hung_up;
    auto hung_up_future = hung_up.get_future();
    two.control.hangup(id, [&hung_up](calls::Result<calls::Call> result) { hung_up.set_value(std::move(result)); });
    ASSERT_TRUE(wait_result(hung_up_future));
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) {
        return r.events.back().kind == calls::CallEventKind::ended;
    }));
    EXPECT_TRUE(two.view.active().empty());
}

TEST_F(ClusterNodeTest, ALinkToAnotherInstancesCallIsWrittenByItsOwnerAndAnnouncedOnce) {
    Instance one(redis_, "one", io_);
    Instance two(redis_, "two", io_);
    ASSERT_TRUE(one.wait_up() && two.wait_up());
    const auto id = one.registry.create(ringing_call("1001"))->id;
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) { return !r.events.empty(); }));
    EXPECT_FALSE(one.links.live_elsewhere(id)) << "the owner links its own calls";
    const auto elsewhere = two.links.live_elsewhere(id);
    ASSERT_TRUE(elsewhere);
    EXPECT_EQ(elsewhere->owner, "one");
    EXPECT_EQ(elsewhere->call.extension, "1001");

    calls::CallLink link;
    link.kind = calls::CallLink::Kind::customer;
    link.customer = {"c-42", "Иван", "+79991234567"};
    std::promise<calls::Result<calls::Call>> linked;
    auto future = linked.get_future();
    two.links.forward(*elsewhere, link, [&linked](calls::Result<calls::Call> result) { linked.set_value(std::move(result)); });
    const auto written = wait_result(future);
    ASSERT_TRUE(written) << written.error().message;
    ASSERT_TRUE(written->customer);
    EXPECT_EQ(written->customer->id, "c-42");
    EXPECT_EQ(one.registry.find(id)->customer->id, "c-42");  // written at the owner
    EXPECT_FALSE(two.registry.find(id));                     // and nowhere else
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) {
        return r.events.back().kind == calls::CallEventKind::updated;
    }));
    ASSERT_EQ(two.node.remote().find(id)->owner, "one");
    EXPECT_EQ(two.node.remote().find(id)->call.customer->id, "c-42");

    // The owner's refusal comes back as it was: the call ended meanwhile.
    ASSERT_TRUE(one.registry.apply(id, calls::transition::Ended{calls::EndReason::missed, calls::now_ms()}));
    std::promise<calls::Result<calls::Call>> late;
    auto late_future = late.get_future();
    two.links.forward(*elsewhere, link, [&late](calls::Result<calls::Call> result) { late.set_value(std::move(result)); });
    const auto refused = wait_result(late_future);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, calls::ErrorCode::not_found);
    std::lock_guard lock(two.received.mutex);
    const auto updates = std::count_if(two.received.events.begin(), two.received.events.end(),
                                       [](const calls::CallEvent& event) { return event.kind == calls::CallEventKind::updated; });
    EXPECT_EQ(updates, 1);
}

TEST_F(ClusterNodeTest, ClickToCallIsCarriedOutWhereThePhoneIs) {
    Instance one(redis_, "one", io_);
    Instance two(redis_, "two", io_);
    one.engine.set_phone("1001", true);
    two.engine.set_phone("1001", false);
    ASSERT_TRUE(one.wait_up() && two.wait_up());
    // The phone's state reaches the other instance with the next line event; publish one.
    one.bus.publish(calls::TelephonyEvent{calls::TelephonyEvent::Kind::line_changed, {}, one.engine.status().lines[0]});
    for (int i = 0; i < 200 && !two.node.remote().instance_with_phone("1001"); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(two.node.remote().instance_with_phone("1001"), "one");
    EXPECT_TRUE(two.control.status().lines.at(0).device_registered);
    EXPECT_TRUE(two.node.leaves_inbound_to_others("1001"));
    EXPECT_FALSE(one.node.leaves_inbound_to_others("1001"));

    std::promise<calls::Result<calls::Call>> dialled;
    auto future = dialled.get_future();
    two.control.dial({"1001", "+79990000000", "+79990000000", false, {}},
                     [&dialled](calls::Result<calls::Call> result) { dialled.set_value(std::move(result)); });
    const auto call = wait_result(future);
    ASSERT_TRUE(call) << call.error().message;
    EXPECT_TRUE(one.registry.find(call->id));
    EXPECT_FALSE(two.registry.find(call->id));
}

TEST_F(ClusterNodeTest, ADeadInstancesCallsAreEndedAsFailedByASurvivor) {
    Instance two(redis_, "two", io_);
    std::string id;
    {
        auto one = std::make_unique<Instance>(redis_, "one", io_);
        ASSERT_TRUE(one->wait_up() && two.wait_up());
        id = one->registry.create(ringing_call("1001"))->id;
        ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) { return !r.events.empty(); }));
        // Gone without ending its call (as a killed process): its heartbeat is no longer refreshed.
    }
    ASSERT_TRUE(two.received.wait_for(6s, [&](Received& r) { return !r.recorded.empty(); }));
    std::lock_guard lock(two.received.mutex);
    EXPECT_EQ(two.received.recorded.front().id, id);
    EXPECT_EQ(two.received.recorded.front().end_reason, calls::EndReason::failed);
    EXPECT_EQ(two.received.events.back().kind, calls::CallEventKind::ended);
    EXPECT_TRUE(two.view.active().empty());
}

TEST_F(ClusterNodeTest, AnInstanceTakenForDeadPublishesItsCallsAgainWhenItResumes) {
    Instance one(redis_, "one", io_);
    Instance two(redis_, "two", io_);
    ASSERT_TRUE(one.wait_up() && two.wait_up());
    const auto id = one.registry.create(ringing_call("1001"))->id;
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) { return !r.events.empty(); }));

    // What the others see of an instance paused past its heartbeat: the heartbeat gone, its calls removed.
    auto redis = RedisClient::connect(redis_.endpoint(), 1000ms);
    ASSERT_TRUE(redis);
    ASSERT_TRUE(redis.value()->command({"DEL", "ff:instance:one"}));
    ASSERT_TRUE(redis.value()->command({"HDEL", "ff:calls", id}));
    ASSERT_TRUE(redis.value()->command({"PUBLISH", "ff:events", encode_resync("someone")}));

    bool listed_again = false;
    for (int i = 0; i < 200 && !listed_again; ++i) {
        std::this_thread::sleep_for(20ms);
        const auto active = two.view.active();
        listed_again = redis.value()->command({"HEXISTS", "ff:calls", id})->integer == 1 && active.size() == 1;
    }
    EXPECT_TRUE(listed_again) << "instance one published its call again";
    EXPECT_TRUE(one.registry.find(id));
}

TEST_F(ClusterNodeTest, RedisRestartedLosesNothingAndReapsNobody) {
    Instance one(redis_, "one", io_);
    Instance two(redis_, "two", io_);
    ASSERT_TRUE(one.wait_up() && two.wait_up());
    const auto id = one.registry.create(ringing_call("1001"))->id;
    ASSERT_TRUE(two.received.wait_for(3s, [&](Received& r) { return !r.events.empty(); }));

    redis_.stop();
    for (int i = 0; i < 200 && (one.node.up() || two.node.up()); ++i) std::this_thread::sleep_for(25ms);
    ASSERT_FALSE(two.node.up());
    EXPECT_TRUE(two.view.active().empty());  // unknown while Redis is away
    std::promise<calls::Result<calls::Call>> refused;
    auto future = refused.get_future();
    two.control.hold(id, [&refused](calls::Result<calls::Call> result) { refused.set_value(std::move(result)); });
    const auto hold = wait_result(future);
    ASSERT_FALSE(hold);
    EXPECT_EQ(hold.error().code, calls::ErrorCode::unreachable);
    EXPECT_NE(hold.error().message.find("Redis"), std::string::npos);
    const auto elsewhere = two.links.live_elsewhere(id);  // the owner is still known
    ASSERT_TRUE(elsewhere);
    calls::CallLink note;
    note.text = "перезвонить";
    std::promise<calls::Result<calls::Call>> unlinked;
    auto unlinked_future = unlinked.get_future();
    two.links.forward(*elsewhere, note, [&unlinked](calls::Result<calls::Call> result) { unlinked.set_value(std::move(result)); });
    const auto link = wait_result(unlinked_future);
    ASSERT_FALSE(link);
    EXPECT_EQ(link.error().code, calls::ErrorCode::unreachable);
    EXPECT_TRUE(one.registry.find(id)->notes.empty());

    ASSERT_TRUE(redis_.start());  // empty: everything is published again
    ASSERT_TRUE(one.wait_up() && two.wait_up());
    for (int i = 0; i < 200 && two.view.active().empty(); ++i) std::this_thread::sleep_for(25ms);
    ASSERT_EQ(two.view.active().size(), 1u);
    std::this_thread::sleep_for(2500ms);  // longer than a heartbeat lives: a wrong reaping would show now
    EXPECT_TRUE(one.registry.find(id));
    std::lock_guard lock(two.received.mutex);
    EXPECT_TRUE(two.received.recorded.empty());
    EXPECT_EQ(two.view.active().size(), 1u);
}

}  // namespace
}  // namespace ff::cluster
