// The delivery loop: storage jobs claim and finish, the strand decides, the HTTP client sends.
#include "webhooks/webhook_dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <mutex>

#include "calls/call.hpp"
#include "http/http_client.hpp"
#include "webhooks/webhook_signature.hpp"

namespace ff::webhooks {

namespace asio = boost::asio;

// What outlives the dispatcher: storage jobs and HTTP requests finish after it is gone, and then only
// find it gone. `mutex` guards `owner`, which is null once the dispatcher is destroyed.
struct DispatcherState {
    std::mutex mutex;
    WebhookDispatcher* owner = nullptr;
    std::atomic<std::int64_t> backlog{0};
    std::atomic<std::uint64_t> delivered{0};
    std::atomic<std::uint64_t> failed_attempts{0};
    std::mutex observer_mutex;
    std::function<void(double)> observer;
};

namespace {

using SharedState = std::shared_ptr<DispatcherState>;

// Runs `work` on the dispatcher's strand if the dispatcher is still there.
template <class Work>
void back_to(const SharedState& state, asio::strand<asio::io_context::executor_type>& strand, Work work) {
    std::lock_guard lock(state->mutex);
    if (state->owner == nullptr) return;
    asio::post(strand, std::move(work));
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(asio::io_context& io, store::StoreWorker& worker, DispatcherOptions options)
    : io_(io),
      worker_(worker),
      options_(std::move(options)),
      strand_(asio::make_strand(io)),
      poll_timer_(strand_),
      state_(std::make_shared<DispatcherState>()) {
    state_->owner = this;
}

WebhookDispatcher::~WebhookDispatcher() {
    std::lock_guard lock(state_->mutex);
    state_->owner = nullptr;
}

void WebhookDispatcher::start(const std::string& instance) {
    instance_ = instance;
    // Claims a run before this one under the same name left (it died sending them) are sent again now.
    worker_.post([instance](store::Storage& storage) {
        if (auto status = storage.release_claims(instance); !status)
            spdlog::warn("webhooks: earlier claims of {} not freed: {}", instance, status.error().message);
    });
    asio::post(strand_, [this] {
        look();
        poll_later();
    });
}

void WebhookDispatcher::nudge() {
    back_to(state_, strand_, [this] { look(); });
}

void WebhookDispatcher::stop() {
    asio::post(strand_, [this] {
        stopped_ = true;
        poll_timer_.cancel();
        if (in_flight_ == 0) return;
        spdlog::info("webhooks: {} delivery(ies) in flight are left to the next run", in_flight_);
        worker_.post([instance = instance_](store::Storage& storage) { (void)storage.release_claims(instance); });
    });
}

std::int64_t WebhookDispatcher::backlog() const {
    return state_->backlog.load(std::memory_order_relaxed);
}

std::uint64_t WebhookDispatcher::delivered() const {
    return state_->delivered.load(std::memory_order_relaxed);
}

std::uint64_t WebhookDispatcher::failed_attempts() const {
    return state_->failed_attempts.load(std::memory_order_relaxed);
}

void WebhookDispatcher::observe_deliveries(std::function<void(double seconds)> observer) {
    std::lock_guard lock(state_->observer_mutex);
    state_->observer = std::move(observer);
}

void WebhookDispatcher::poll_later() {
    poll_timer_.expires_after(options_.poll);
    poll_timer_.async_wait([this](boost::system::error_code error) {
        if (error || stopped_) return;
        look();
        // The backlog for /metrics, and now and then the delivered deliveries past their keeping.
        worker_.post_read([state = state_](store::Storage& storage) {
            if (auto figures = storage.webhook_figures()) {
                std::int64_t pending = 0;
                for (const auto& figure : figures.value()) pending += figure.pending;
                state->backlog.store(pending, std::memory_order_relaxed);
            }
        });
        const auto now = std::chrono::steady_clock::now();
        if (now - last_prune_ > std::chrono::hours(1)) {
            last_prune_ = now;
            const std::int64_t before = calls::now_ms().time_since_epoch().count() -
                                        std::chrono::duration_cast<std::chrono::milliseconds>(options_.keep).count();
            worker_.post([before](store::Storage& storage) {
                if (auto status = storage.prune_deliveries(before); !status)
                    spdlog::warn("webhooks: old deliveries not pruned: {}", status.error().message);
            });
        }
        poll_later();
    });
}

void WebhookDispatcher::look() {
    if (stopped_) return;
    if (looking_) {
        look_again_ = true;
        return;
    }
    const int room = options_.max_in_flight - in_flight_;
    if (room <= 0) return;  // a finished delivery looks again
    looking_ = true;
    const std::int64_t lease = options_.timeout.count() + 30'000;
    worker_.post([this, state = state_, room, lease, instance = instance_](store::Storage& storage) {
        auto due = storage.claim_deliveries(instance, calls::now_ms().time_since_epoch().count(), lease, room);
        if (!due) spdlog::warn("webhooks: the outbox cannot be read: {}", due.error().message);
        back_to(state, strand_, [this, due = due ? std::move(due).value() : std::vector<store::DueDelivery>{}]() mutable {
            claimed(std::move(due));
        });
    });
}

void WebhookDispatcher::claimed(std::vector<store::DueDelivery> due) {
    looking_ = false;
    const bool full = !due.empty() && static_cast<int>(due.size()) >= options_.max_in_flight - in_flight_;
    for (auto& delivery : due) send(std::move(delivery));
    if (look_again_ || full) {
        look_again_ = false;
        look();
    }
}

void WebhookDispatcher::send(store::DueDelivery delivery) {
    if (stopped_) return;
    auto url = http::parse_client_url(delivery.url);
    if (!url) return answered(delivery, std::nullopt, "the webhook's url cannot be used");
    ++in_flight_;
    http::ClientRequest request;
    request.method = boost::beast::http::verb::post;
    request.url = std::move(*url);
    request.timeout = options_.timeout;
    const std::int64_t now_seconds = calls::now_ms().time_since_epoch().count() / 1000;
    request.headers = {{"Content-Type", "application/json"},
                       {"X-FoodFlow-Event", delivery.type},
                       {"X-FoodFlow-Event-Id", delivery.event_id},
                       {"X-FoodFlow-Signature", signature_header(delivery.secret, now_seconds, delivery.body)}};
    request.body = delivery.body;
    http::send_request(io_, std::move(request), [this, state = state_, delivery](http::ClientOutcome outcome) {
        back_to(state, strand_, [this, delivery, outcome = std::move(outcome)] {
            --in_flight_;
            if (outcome.answer) {
                answered(delivery, outcome.answer->status, {});
            } else {
                answered(delivery, std::nullopt, outcome.error);
            }
        });
    });
}

void WebhookDispatcher::answered(const store::DueDelivery& delivery, std::optional<unsigned> status,
                                 const std::string& error) {
    const std::int64_t now = calls::now_ms().time_since_epoch().count();
    store::DeliveryOutcome outcome;
    outcome.seq = delivery.seq;
    outcome.attempted_ms = now;
    outcome.next_attempt_ms = now;
    if (status) outcome.http_status = static_cast<int>(*status);
    const bool ok = status && *status >= 200 && *status < 300;
    if (ok) {
        outcome.state = store::DeliveryState::delivered;
        state_->delivered.fetch_add(1, std::memory_order_relaxed);
        std::lock_guard lock(state_->observer_mutex);
        if (state_->observer) state_->observer(static_cast<double>(now - delivery.created_ms) / 1000.0);
    } else {
        state_->failed_attempts.fetch_add(1, std::memory_order_relaxed);
        outcome.error = status ? "the receiver answered HTTP " + std::to_string(*status) : error;
        const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
        if (auto next = next_attempt(options_.retry, delivery.attempts + 1, delivery.created_ms, now, unit)) {
            outcome.next_attempt_ms = *next;
        } else {
            outcome.state = store::DeliveryState::failed;
            spdlog::warn("webhooks: event {} ({}) given up for webhook {} after {} attempt(s): {}", delivery.event_id,
                         delivery.type, delivery.webhook_id, delivery.attempts + 1, outcome.error);
        }
        if (delivery.attempts == 0 && outcome.state == store::DeliveryState::pending) {
            spdlog::info("webhooks: event {} to webhook {} failed, tried again later: {}", delivery.event_id,
                         delivery.webhook_id, outcome.error);
        }
    }
    worker_.post([this, state = state_, outcome](store::Storage& storage) {
        if (auto written = storage.finish_delivery(outcome); !written)
            spdlog::warn("webhooks: the outcome of delivery {} is not kept ({}); it is sent again once its claim runs out",
                         outcome.seq, written.error().message);
        back_to(state, strand_, [this] { look(); });
    });
}

}  // namespace ff::webhooks
