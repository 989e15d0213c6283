// The caller's customer from the call log (a real SQLite file) and from a CRM over real HTTP on loopback.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <thread>

#include "calls/call_registry.hpp"
#include "directory/customer_directory.hpp"
#include "store/past_customers.hpp"
#include "store/storage.hpp"

using namespace ff;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// A CRM on 127.0.0.1:<ephemeral>: answers every GET with one fixed answer, or holds it until release().
class TestCrm {
  public:
    struct Answer {
        unsigned status = 200;
        std::string body;
        bool hold = false;
    };

    explicit TestCrm(Answer answer)
        : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), answer_(answer) {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~TestCrm() {
        io_.stop();
        thread_.join();
    }

    std::string url(const std::string& target) const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + target;
    }

    // Answers the held requests, and every later one at once.
    void release() {
        asio::post(io_, [this] {
            answer_.hold = false;
            for (auto& connection : held_) respond(connection);
            held_.clear();
        });
    }

    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }

    bool wait_for_requests(std::size_t count) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, 10s, [&] { return targets_.size() >= count; });
    }

  private:
    struct Connection {
        explicit Connection(asio::io_context& io) : socket(io) {}
        tcp::socket socket;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        http::response<http::string_body> response;
    };

    void accept() {
        auto connection = std::make_shared<Connection>(io_);
        acceptor_.async_accept(connection->socket, [this, connection](boost::system::error_code error) {
            if (error) return;
            http::async_read(connection->socket, connection->buffer, connection->request,
                             [this, connection](boost::system::error_code read_error, std::size_t) {
                                 if (!read_error) received(connection);
                             });
            accept();
        });
    }

    void received(const std::shared_ptr<Connection>& connection) {
        {
            std::lock_guard lock(mutex_);
            targets_.emplace_back(connection->request.target());
        }
        arrived_.notify_all();
        if (answer_.hold) {
            held_.push_back(connection);
        } else {
            respond(connection);
        }
    }

    void respond(const std::shared_ptr<Connection>& connection) {
        auto& response = connection->response;
        response.result(answer_.status);
        response.version(11);
        response.set(http::field::content_type, "application/json");
        response.keep_alive(false);
        response.body() = answer_.body;
        response.prepare_payload();
        http::async_write(connection->socket, response, [connection](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            connection->socket.shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    Answer answer_;  // used on the server thread only
    std::vector<std::shared_ptr<Connection>> held_;
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<std::string> targets_;
    std::thread thread_;
};

class CustomerDirectoryTest : public ::testing::Test {
  protected:
    CustomerDirectoryTest() {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("ff_directory_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(dir_);
        auto storage = store::open_storage("sqlite:" + (dir_ / "x.db").string());
        EXPECT_TRUE(storage) << storage.error().message;
        worker_.emplace(std::move(storage).value());
        io_thread_ = std::thread([this] { io_.run(); });
    }
    ~CustomerDirectoryTest() override {
        work_.reset();
        io_thread_.join();
        worker_.reset();
        std::filesystem::remove_all(dir_);
    }

    // A past call from `phone` with `customer` linked to it, in the call log.
    void remember(const std::string& phone, const calls::Customer& customer) {
        worker_->post([phone, customer](store::Storage& storage) {
            calls::Call call;
            call.id = calls::new_uuid();
            call.from = phone;
            call.to = "1001";
            call.extension = "1001";
            call.start_time = calls::now_ms();
            EXPECT_TRUE(storage.record_call(call));
            EXPECT_TRUE(storage.link_customer(call.id, customer));
        });
        worker_->drain();
    }

    directory::CustomerDirectory make_directory(std::string url = {},
                                                std::chrono::milliseconds timeout = 2000ms) {
        return directory::CustomerDirectory(store::past_customers(*worker_), io_, directory::PhoneNormalizer("RU"),
                                            {std::move(url), timeout});
    }

    static std::optional<calls::Customer> lookup(directory::CustomerDirectory& directory, std::string phone) {
        std::promise<std::optional<calls::Customer>> answer;
        auto future = answer.get_future();
        directory.lookup(std::move(phone), [&answer](std::optional<calls::Customer> customer) {
            answer.set_value(std::move(customer));
        });
        EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
        return future.get();
    }

    std::filesystem::path dir_;
    std::optional<store::StoreWorker> worker_;
    asio::io_context io_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
    std::thread io_thread_;
};

const calls::Customer ivan{"c-17", "Иван Иванов", "+79991234567"};
const std::string crm_ivan = R"({"id": 42, "name": "Иван Петрович", "phone": "8 999 123-45-67"})";

}  // namespace

TEST_F(CustomerDirectoryTest, call_log_finds_the_customer_for_any_written_form) {
    remember("+79991234567", ivan);
    auto directory = make_directory();
    EXPECT_FALSE(directory.uses_http());
    for (const char* written : {"8 (999) 123-45-67", "+79991234567", "9991234567"}) {
        const auto found = lookup(directory, written);
        ASSERT_TRUE(found) << written;
        EXPECT_EQ(found->id, "c-17");
        EXPECT_EQ(found->name, "Иван Иванов");
    }
}

TEST_F(CustomerDirectoryTest, unknown_number_extension_and_garbage_have_no_customer) {
    remember("+79991234567", ivan);
    auto directory = make_directory();
    EXPECT_FALSE(lookup(directory, "+79990000000"));
    EXPECT_FALSE(lookup(directory, "1001"));
    EXPECT_FALSE(lookup(directory, ""));
    EXPECT_FALSE(lookup(directory, "abc"));
}

TEST_F(CustomerDirectoryTest, crm_answer_wins_over_the_call_log) {
    remember("+79991234567", ivan);
    TestCrm crm({200, crm_ivan});
    auto directory = make_directory(crm.url("/api/customers?phone={phone}&src=pbx"));
    const auto found = lookup(directory, "8 (999) 123-45-67");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "42");
    EXPECT_EQ(found->name, "Иван Петрович");
    EXPECT_EQ(found->phone, "+79991234567");
    EXPECT_EQ(crm.targets(), std::vector<std::string>{"/api/customers?phone=%2B79991234567&src=pbx"});
}

TEST_F(CustomerDirectoryTest, crm_customer_without_phone_gets_the_callers_number) {
    TestCrm crm({200, R"({"id": "u-1", "name": "Анна"})"});
    auto directory = make_directory(crm.url("/c/{phone}"));
    const auto found = lookup(directory, "+375 29 123-45-67");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->phone, "+375291234567");
    EXPECT_EQ(crm.targets(), std::vector<std::string>{"/c/%2B375291234567"});
}

TEST_F(CustomerDirectoryTest, crm_404_falls_back_to_the_call_log) {
    remember("+79991234567", ivan);
    TestCrm crm({404, R"({"error":"not found"})"});
    auto directory = make_directory(crm.url("/c?phone={phone}"));
    const auto found = lookup(directory, "+79991234567");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "c-17");
    EXPECT_EQ(crm.targets().size(), 1u);
}

TEST_F(CustomerDirectoryTest, crm_404_and_no_history_is_unknown) {
    TestCrm crm({404, ""});
    auto directory = make_directory(crm.url("/c?phone={phone}"));
    EXPECT_FALSE(lookup(directory, "+79991234567"));
}

TEST_F(CustomerDirectoryTest, crm_too_slow_times_out_and_the_call_log_answers) {
    remember("+79991234567", ivan);
    TestCrm crm({200, crm_ivan, true});
    auto directory = make_directory(crm.url("/c?phone={phone}"), 150ms);
    const auto started = std::chrono::steady_clock::now();
    const auto found = lookup(directory, "+79991234567");
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "c-17");  // not the CRM's 42: it never answered in time
    EXPECT_GE(elapsed, 150ms);
    EXPECT_LT(elapsed, 5s);
    EXPECT_EQ(crm.targets().size(), 1u);
    crm.release();
}

TEST_F(CustomerDirectoryTest, crm_too_slow_and_no_history_is_unknown) {
    TestCrm crm({200, crm_ivan, true});
    auto directory = make_directory(crm.url("/c?phone={phone}"), 100ms);
    EXPECT_FALSE(lookup(directory, "+79991234567"));
    crm.release();
}

TEST_F(CustomerDirectoryTest, crm_errors_and_bad_answers_are_unknown) {
    for (const TestCrm::Answer& answer :
         {TestCrm::Answer{500, crm_ivan}, TestCrm::Answer{200, "not json"}, TestCrm::Answer{200, "[1,2]"},
          TestCrm::Answer{200, R"({"id":null})"}}) {
        TestCrm crm(answer);
        auto directory = make_directory(crm.url("/c?phone={phone}"));
        EXPECT_FALSE(lookup(directory, "+79991234567")) << answer.status << " " << answer.body;
    }
}

TEST_F(CustomerDirectoryTest, crm_refusing_connections_is_unknown_and_history_still_answers) {
    remember("+79991234567", ivan);
    std::uint16_t closed_port = 0;
    {
        asio::io_context io;
        tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
        closed_port = acceptor.local_endpoint().port();
    }
    auto directory = make_directory("http://127.0.0.1:" + std::to_string(closed_port) + "/c?phone={phone}");
    const auto found = lookup(directory, "+79991234567");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "c-17");
}

TEST_F(CustomerDirectoryTest, many_lookups_at_once_each_answer_once) {
    remember("+79991234567", ivan);
    TestCrm crm({200, crm_ivan});
    auto directory = make_directory(crm.url("/c?phone={phone}"));
    constexpr int count = 20;
    std::atomic<int> answers{0};
    std::atomic<int> from_crm{0};
    std::promise<void> all_done;
    for (int i = 0; i < count; ++i) {
        directory.lookup("+79991234567", [&](std::optional<calls::Customer> customer) {
            if (customer && customer->id == "42") ++from_crm;
            if (++answers == count) all_done.set_value();
        });
    }
    ASSERT_EQ(all_done.get_future().wait_for(10s), std::future_status::ready);
    EXPECT_EQ(from_crm.load(), count);
    EXPECT_TRUE(crm.wait_for_requests(count));
}

TEST(CustomerDirectoryParts, crm_json) {
    const auto customer = directory::parse_customer_json(R"({"id":"x","name":"Y"})", "+7999");
    ASSERT_TRUE(customer);
    EXPECT_EQ(customer->phone, "+7999");
    EXPECT_FALSE(directory::parse_customer_json(R"({"name":""})", "+7999"));
}
