// Sends what the outbox owes: claims due deliveries from the database, POSTs each signed body to its
// webhook, and writes what came of it (delivered, or the next attempt, or given up).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/store_worker.hpp"
#include "webhooks/retry_schedule.hpp"

namespace ff::webhooks {

struct DispatcherOptions {
    std::chrono::milliseconds timeout{10'000};  // WEBHOOK_TIMEOUT_SECONDS
    RetryPolicy retry;
    std::chrono::milliseconds poll{1000};  // how often the outbox is looked at without a nudge
    int max_in_flight = 16;
    std::chrono::hours keep{24 * 7};  // delivered and given-up deliveries are listed this long
};

struct DispatcherState;  // shared with the jobs and requests in flight (webhook_dispatcher.cpp)

// At least once, in order per call and webhook: a delivery is claimed (a lease of the timeout and 30 s),
// sent, then finished; another instance, or this one after a crash, sends it again only once the claim
// ran out. Any 2xx answer is delivered; anything else (another status, no answer in time, no connection)
// is retried on the RetryPolicy until its window closes.
class WebhookDispatcher {
  public:
    WebhookDispatcher(boost::asio::io_context& io, store::StoreWorker& worker, DispatcherOptions options);
    ~WebhookDispatcher();
    WebhookDispatcher(const WebhookDispatcher&) = delete;
    WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

    // Claims are made in the name of `instance` (this instance's id with several, or "local").
    void start(const std::string& instance);
    // Something was written to the outbox: look at once rather than at the next poll. Any thread.
    void nudge();
    // Sends nothing more; what is in flight is left to the next run (its claims freed). Before io stops.
    void stop();

    // Pending deliveries of every webhook, as of the last look (for /metrics), and attempts made here.
    std::int64_t backlog() const;
    std::uint64_t delivered() const;
    std::uint64_t failed_attempts() const;
    // Hears each delivery's time from the event to its receiver's answer (seconds), for the metrics.
    void observe_deliveries(std::function<void(double seconds)> observer);

  private:
    void look();
    void claimed(std::vector<store::DueDelivery> due);
    void send(store::DueDelivery delivery);
    void answered(const store::DueDelivery& delivery, std::optional<unsigned> status, const std::string& error);
    void poll_later();

    boost::asio::io_context& io_;
    store::StoreWorker& worker_;
    DispatcherOptions options_;
    std::string instance_ = "local";
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer poll_timer_;
    std::shared_ptr<DispatcherState> state_;
    // On the strand:
    bool looking_ = false;
    bool look_again_ = false;
    bool stopped_ = false;
    int in_flight_ = 0;
    std::chrono::steady_clock::time_point last_prune_{};
    std::mt19937_64 jitter_{std::random_device{}()};
};

}  // namespace ff::webhooks
