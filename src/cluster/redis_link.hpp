// The two connections an instance keeps to Redis, each served by a thread of its own (the command one also
// written directly by the threads that publish events, when it is idle), and their reconnection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/redis_client.hpp"
#include "config/redis_url.hpp"

namespace ff::cluster {

struct RedisLinkHandlers {
    // Writer thread, each time the command connection is (re)established: publish this instance's state.
    std::function<void(RedisClient&)> on_connected;
    // Writer thread, once per tick while connected: heartbeat, looking for instances that died.
    std::function<void(RedisClient&)> on_tick;
    // Subscriber thread, once the channels are subscribed (again): read the others' state afresh.
    std::function<void()> on_subscribed;
    // Subscriber thread, for every message on a subscribed channel.
    std::function<void(const std::string& channel, const std::string& payload)> on_message;
    // Any thread: the link went down (with the reason) or came back (empty reason).
    std::function<void(bool up, const std::string& reason)> on_state;
};

class RedisLink {
  public:
    RedisLink(config::RedisEndpoint endpoint, std::vector<std::string> channels, std::chrono::milliseconds tick,
              RedisLinkHandlers handlers);
    ~RedisLink();  // stop()
    RedisLink(const RedisLink&) = delete;
    RedisLink& operator=(const RedisLink&) = delete;

    void start();
    // Writes what is queued, then ends both threads. The handlers are not called once it returns.
    void stop();

    // Queues a job for the command connection, in order. While Redis is away jobs are dropped: what they
    // would have written is published again in full by on_connected.
    void post(std::function<void(RedisClient&)> job);

    // Commands whose replies nobody needs (a refusal is logged), in order with the jobs: written at once from
    // the caller's thread when the connection is idle and nothing is queued before them, without blocking;
    // otherwise queued as a job. An event then reaches Redis without waiting for the writer thread to wake.
    void write(std::vector<std::vector<std::string>> commands);

    bool up() const { return commands_up_.load() && subscribed_.load(); }
    // How long the command connection has been up without a break (zero while down).
    std::chrono::milliseconds up_for() const;

  private:
    void run_commands();
    void run_subscription();
    void report();
    void wait_before_retry(int& failures);

    config::RedisEndpoint endpoint_;
    std::vector<std::string> channels_;
    std::chrono::milliseconds tick_;
    RedisLinkHandlers handlers_;

    // The command connection, held by the writer thread while it runs jobs and ticks, and for a moment by
    // write() (which never waits for it). Taken before mutex_ when both are.
    std::mutex connection_mutex_;
    std::unique_ptr<RedisClient> client_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void(RedisClient&)>> jobs_;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point up_since_{};
    std::string last_error_;
    bool reported_up_ = false;
    bool reported_once_ = false;

    std::atomic<bool> commands_up_{false};
    std::atomic<bool> subscribed_{false};
    std::atomic<std::thread::id> writer_{};  // the writer thread, once it runs
    std::thread commands_;
    std::thread subscription_;
};

}  // namespace ff::cluster
