// Inbound call admission: one call:new, with the customer when the lookup is quick, call:updated when it is
// not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "calls/call_registry.hpp"
#include "directory/caller_identification.hpp"
#include "store/past_customers.hpp"
#include "store/storage.hpp"

using namespace ff;
using namespace std::chrono_literals;

namespace {

struct Recorder {
    std::mutex mutex;
    std::vector<calls::CallEvent> events;
    explicit Recorder(calls::EventBus& bus) {
        bus.subscribe([this](const calls::Event& event) {
            std::lock_guard lock(mutex);
            if (const auto* call_event = std::get_if<calls::CallEvent>(&event)) events.push_back(*call_event);
        });
    }
    std::vector<std::string> names() {
        std::lock_guard lock(mutex);
        std::vector<std::string> result;
        for (const auto& event : events) result.emplace_back(calls::event_name(event.kind));
        return result;
    }
};

const calls::Customer ivan{"c-17", "Иван Иванов", "+79991234567"};

// The storage is real (a SQLite file); a lookup is made slow by keeping the storage thread busy with a
// job that waits until the test lets it go, as a slow disk would.
class CallerIdentificationTest : public ::testing::Test {
  protected:
    CallerIdentificationTest() {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("ff_caller_id_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(dir_);
        auto storage = store::open_storage("sqlite:" + (dir_ / "x.db").string());
        EXPECT_TRUE(storage) << storage.error().message;
        worker_.emplace(std::move(storage).value());
        worker_->post([](store::Storage& log) {
            calls::Call call;
            call.id = calls::new_uuid();
            call.from = "+79991234567";
            call.to = "1001";
            call.start_time = calls::now_ms();
            EXPECT_TRUE(log.record_call(call));
            EXPECT_TRUE(log.link_customer(call.id, ivan));
        });
        worker_->drain();
        directory_.emplace(store::past_customers(*worker_), io_, directory::PhoneNormalizer("RU"),
                           directory::CustomerDirectoryOptions{});
    }
    ~CallerIdentificationTest() override {
        if (!gate_open_) let_storage_go();  // a failed test must not leave the storage thread waiting
        worker_.reset();
        std::filesystem::remove_all(dir_);
    }

    void make_storage_slow() {
        worker_->post([gate = gate_.get_future().share()](store::Storage&) { gate.wait(); });
    }
    void let_storage_go() {
        gate_open_ = true;
        gate_.set_value();
    }

    static calls::Call inbound(std::string from) {
        calls::Call call;
        call.direction = calls::Direction::inbound;
        call.from = std::move(from);
        call.to = "1001";
        call.extension = "1001";
        return call;
    }

    // Runs the io_context until nothing is left (timer, posts) and lets the storage finish its queue.
    void settle() {
        io_.run();
        worker_->drain();
    }

    std::filesystem::path dir_;
    std::optional<store::StoreWorker> worker_;
    boost::asio::io_context io_;
    std::optional<directory::CustomerDirectory> directory_;
    std::promise<void> gate_;
    std::atomic<bool> gate_open_{false};
    calls::EventBus bus_;
    Recorder recorder_{bus_};
    calls::CallRegistry registry_{bus_};
};

}  // namespace

TEST_F(CallerIdentificationTest, quick_lookup_creates_one_call_new_carrying_the_customer) {
    std::optional<calls::Result<calls::Call>> created;
    directory::admit_inbound_call(registry_, *directory_, inbound("8 (999) 123-45-67"), 10s, io_,
                                  [&](calls::Result<calls::Call> result) { created = std::move(result); });
    const auto started = std::chrono::steady_clock::now();
    settle();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);  // the 10 s wait was cut short
    ASSERT_TRUE(created && created->ok());
    ASSERT_TRUE(created->value().customer);
    EXPECT_EQ(created->value().customer->id, "c-17");
    EXPECT_EQ(recorder_.names(), std::vector<std::string>{"call:new"});
    ASSERT_TRUE(recorder_.events[0].call.customer);
    EXPECT_EQ(recorder_.events[0].call.customer->name, "Иван Иванов");
}

TEST_F(CallerIdentificationTest, quick_lookup_without_customer_creates_at_once_without_waiting) {
    std::optional<calls::Result<calls::Call>> created;
    directory::admit_inbound_call(registry_, *directory_, inbound("+79990000000"), 10s, io_,
                                  [&](calls::Result<calls::Call> result) { created = std::move(result); });
    const auto started = std::chrono::steady_clock::now();
    settle();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    ASSERT_TRUE(created && created->ok());
    EXPECT_FALSE(created->value().customer);
    EXPECT_EQ(recorder_.names(), std::vector<std::string>{"call:new"});
}

TEST_F(CallerIdentificationTest, slow_lookup_creates_the_call_at_once_then_attaches_the_customer) {
    make_storage_slow();
    std::optional<calls::Result<calls::Call>> created;
    directory::admit_inbound_call(registry_, *directory_, inbound("+79991234567"), 50ms, io_,
                                  [&](calls::Result<calls::Call> result) {
                                      created = std::move(result);
                                      let_storage_go();  // the lookup may finish only after the call exists
                                  });
    settle();
    ASSERT_TRUE(created && created->ok());
    EXPECT_FALSE(created->value().customer);
    EXPECT_EQ(recorder_.names(), (std::vector<std::string>{"call:new", "call:updated"}));
    EXPECT_FALSE(recorder_.events[0].call.customer);
    ASSERT_TRUE(recorder_.events[1].call.customer);
    EXPECT_EQ(recorder_.events[1].call.customer->id, "c-17");
    EXPECT_EQ(registry_.find(created->value().id)->customer->id, "c-17");
}

TEST_F(CallerIdentificationTest, slow_lookup_for_a_call_that_ended_meanwhile_changes_nothing) {
    make_storage_slow();
    directory::admit_inbound_call(
        registry_, *directory_, inbound("+79991234567"), 50ms, io_, [&](calls::Result<calls::Call> result) {
            ASSERT_TRUE(result);
            EXPECT_TRUE(registry_.apply(result->id,
                                        calls::transition::Ended{calls::EndReason::missed, calls::now_ms()}));
            let_storage_go();
        });
    settle();
    EXPECT_EQ(recorder_.names(), (std::vector<std::string>{"call:new", "call:ended"}));
}

TEST_F(CallerIdentificationTest, slow_lookup_does_not_replace_a_customer_linked_by_hand) {
    make_storage_slow();
    const calls::Customer chosen{"c-99", "Выбран вручную", "+79991234567"};
    directory::admit_inbound_call(
        registry_, *directory_, inbound("+79991234567"), 50ms, io_, [&](calls::Result<calls::Call> result) {
            ASSERT_TRUE(result);
            EXPECT_TRUE(registry_.update(result->id, [&](calls::Call& call) { call.customer = chosen; }));
            let_storage_go();
        });
    settle();
    EXPECT_EQ(recorder_.names(), (std::vector<std::string>{"call:new", "call:updated"}));
    EXPECT_EQ(registry_.active().at(0).customer->id, "c-99");
}

TEST_F(CallerIdentificationTest, every_interleaving_creates_each_call_exactly_once) {
    // Waits of 0-3 ms against a lookup of about that length, on two io threads: the lookup wins some
    // races and loses others, and some answers land while the call is being created.
    constexpr int count = 60;
    std::atomic<int> created{0};
    for (int i = 0; i < count; ++i) {
        directory::admit_inbound_call(registry_, *directory_, inbound("+79991234567"),
                                      std::chrono::milliseconds(i % 4), io_,
                                      [&](calls::Result<calls::Call> result) {
                                          EXPECT_TRUE(result);
                                          ++created;
                                      });
    }
    std::thread second([this] { io_.run(); });
    settle();
    second.join();
    worker_->drain();
    EXPECT_EQ(created.load(), count);
    std::map<std::string, int> new_events;
    for (const auto& event : recorder_.events) {
        if (event.kind == calls::CallEventKind::created) ++new_events[event.call.id];
    }
    EXPECT_EQ(new_events.size(), static_cast<std::size_t>(count));
    for (const auto& [id, times] : new_events) EXPECT_EQ(times, 1) << id;
    for (const auto& call : registry_.active()) {
        ASSERT_TRUE(call.customer) << call.id;  // late or not, every call got its customer
        EXPECT_EQ(call.customer->id, "c-17");
    }
}
