// Both threads retry with a growing pause (0.2 s to 2 s) so a restarted Redis is found again within seconds.
#include "cluster/redis_link.hpp"

#include <pthread.h>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace ff::cluster {
namespace {

constexpr auto connect_timeout = std::chrono::milliseconds(1000);
constexpr auto receive_wait = std::chrono::milliseconds(200);

}  // namespace

RedisLink::RedisLink(config::RedisEndpoint endpoint, std::vector<std::string> channels,
                     std::chrono::milliseconds tick, RedisLinkHandlers handlers)
    : endpoint_(std::move(endpoint)), channels_(std::move(channels)), tick_(tick), handlers_(std::move(handlers)) {}

RedisLink::~RedisLink() { stop(); }

void RedisLink::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (commands_.joinable()) commands_.join();
    if (subscription_.joinable()) subscription_.join();
}

void RedisLink::start() {
    commands_ = std::thread([this] { run_commands(); });
    subscription_ = std::thread([this] { run_subscription(); });
}

void RedisLink::post(std::function<void(RedisClient&)> job) {
    {
        std::lock_guard lock(mutex_);
        if (!commands_up_.load()) return;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

std::chrono::milliseconds RedisLink::up_for() const {
    std::lock_guard lock(mutex_);
    if (!commands_up_.load()) return std::chrono::milliseconds{0};
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - up_since_);
}

// Tells the handler only when the overall state changed, and logs it once per change.
void RedisLink::report() {
    bool up_now = false;
    std::string reason;
    {
        std::lock_guard lock(mutex_);
        up_now = commands_up_.load() && subscribed_.load();
        if (!up_now && last_error_.empty()) return;  // half-way through the first connection: nothing to say
        if (reported_once_ && up_now == reported_up_) return;
        reported_once_ = true;
        reported_up_ = up_now;
        reason = last_error_;
    }
    if (up_now) {
        spdlog::info("redis: connected to {}:{}", endpoint_.host, endpoint_.port);
    } else {
        spdlog::warn("redis: {}; this instance goes on with its own calls", reason);
    }
    if (handlers_.on_state) handlers_.on_state(up_now, up_now ? std::string{} : reason);
}

void RedisLink::wait_before_retry(int& failures) {
    const auto pause = std::min(std::chrono::milliseconds(200) * (1 << std::min(failures, 4)), std::chrono::milliseconds(2000));
    ++failures;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, pause, [this] { return stopping_; });
}

void RedisLink::write(std::vector<std::vector<std::string>> commands) {
    // On the writer thread (a job's or a tick's consequence) the connection is already held: queued.
    if (std::this_thread::get_id() != writer_.load()) {
        std::unique_lock connection(connection_mutex_, std::try_to_lock);
        if (connection.owns_lock() && client_ && !client_->broken()) {
            bool nothing_before = false;
            {
                std::lock_guard lock(mutex_);
                nothing_before = jobs_.empty() && !stopping_;
            }
            if (nothing_before) {
                (void)client_->write_without_waiting(commands);
                // All sent: done. Bytes left, or a failed connection: the writer thread sends the rest, or
                // connects again and publishes everything anew.
                if (client_->has_unsent() || client_->broken())
                    post([](RedisClient& redis) { (void)redis.flush(); });
                return;
            }
        }
    }
    post([commands = std::move(commands)](RedisClient& redis) { (void)redis.pipeline(commands); });
}

void RedisLink::run_commands() {
    pthread_setname_np(pthread_self(), "ff-redis-cmd");
    writer_ = std::this_thread::get_id();
    int failures = 0;
    auto next_tick = std::chrono::steady_clock::now();
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        std::unique_lock connection(connection_mutex_);
        if (!client_) {
            connection.unlock();  // connecting may take a second; write() must not wait for it
            auto connected = RedisClient::connect(endpoint_, connect_timeout);
            if (!connected) {
                {
                    std::lock_guard lock(mutex_);
                    last_error_ = connected.error().message;
                }
                report();
                wait_before_retry(failures);
                continue;
            }
            failures = 0;
            connection.lock();
            client_ = std::move(connected).value();
            {
                std::lock_guard lock(mutex_);
                jobs_.clear();
                up_since_ = std::chrono::steady_clock::now();
                commands_up_ = true;
            }
            // Held throughout: nothing written from elsewhere overtakes the state published here.
            if (handlers_.on_connected) handlers_.on_connected(*client_);
            connection.unlock();
            report();
            next_tick = std::chrono::steady_clock::now();
            continue;
        }
        connection.unlock();

        std::deque<std::function<void(RedisClient&)>> jobs;
        bool last_round = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, next_tick, [this] { return stopping_ || !jobs_.empty(); });
        }
        connection.lock();
        {
            std::lock_guard lock(mutex_);
            last_round = stopping_;  // what was queued before the stop is still written (the last call:ended)
            jobs.swap(jobs_);
        }
        for (auto& job : jobs) {
            if (client_->broken()) break;
            job(*client_);
        }
        if (last_round) return;
        if (!client_->broken() && std::chrono::steady_clock::now() >= next_tick) {
            next_tick = std::chrono::steady_clock::now() + tick_;
            if (handlers_.on_tick) handlers_.on_tick(*client_);
        }
        if (!client_->broken()) continue;
        client_.reset();
        {
            std::lock_guard lock(mutex_);
            commands_up_ = false;
            jobs_.clear();
            last_error_ = "lost the connection to Redis at " + endpoint_.host + ":" + std::to_string(endpoint_.port);
        }
        connection.unlock();
        report();
    }
}

void RedisLink::run_subscription() {
    pthread_setname_np(pthread_self(), "ff-redis-sub");
    int failures = 0;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        auto connected = RedisClient::connect(endpoint_, connect_timeout);
        if (!connected) {
            wait_before_retry(failures);
            continue;
        }
        auto client = std::move(connected).value();
        std::vector<std::string> subscribe{"SUBSCRIBE"};
        subscribe.insert(subscribe.end(), channels_.begin(), channels_.end());
        if (!client->send(subscribe)) {
            wait_before_retry(failures);
            continue;
        }
        failures = 0;
        std::size_t confirmed = 0;
        while (true) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            auto received = client->receive(receive_wait);
            if (!received) break;
            if (!received.value()) continue;
            const auto& reply = *received.value();
            if (reply.type != RedisReply::Type::array || reply.elements.size() < 3) continue;
            const auto& kind = reply.elements[0].text;
            if (kind == "subscribe" && ++confirmed == channels_.size()) {
                subscribed_ = true;
                if (handlers_.on_subscribed) handlers_.on_subscribed();
                report();
            } else if (kind == "message" && handlers_.on_message) {
                handlers_.on_message(reply.elements[1].text, reply.elements[2].text);
            }
        }
        subscribed_ = false;
        {
            std::lock_guard lock(mutex_);
            last_error_ = "lost the subscription to Redis at " + endpoint_.host + ":" + std::to_string(endpoint_.port);
        }
        report();
        wait_before_retry(failures);
    }
}

}  // namespace ff::cluster
