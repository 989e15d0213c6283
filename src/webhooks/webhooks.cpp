#include "webhooks/webhooks.hpp"

#include <spdlog/spdlog.h>

namespace ff::webhooks {
namespace {

// Subscriptions another instance made (one database shared) are seen here within this long.
constexpr auto reload_period = std::chrono::seconds(5);

}  // namespace

Webhooks::Webhooks(boost::asio::io_context& io, store::StoreWorker& worker, store::CallLogWriter& writer,
                   std::vector<store::Webhook> subscribed, DispatcherOptions options)
    : worker_(worker), writer_(writer), dispatcher_(io, worker, std::move(options)), reload_timer_(io) {
    selection_->replace(subscribed);
    // Runs on the storage thread inside the write's job: the dispatcher's claim, queued behind that job,
    // finds the events written.
    writer_.write_outbox_with([selection = selection_, this](const calls::Event& event, std::int64_t occurred_ms) {
        auto events = selection->events_for(event, occurred_ms);
        if (!events.empty()) dispatcher_.nudge();
        return events;
    });
}

Webhooks::~Webhooks() {
    writer_.write_outbox_with({});
}

void Webhooks::start(const std::string& instance) {
    dispatcher_.start(instance);
    reload_later();
}

void Webhooks::stop() {
    reload_timer_.cancel();
    dispatcher_.stop();
}

void Webhooks::added(const store::Webhook& webhook) {
    selection_->add(webhook);
}

void Webhooks::removed(const std::string& id) {
    selection_->remove(id);
}

void Webhooks::send(store::OutboxEvent event) {
    writer_.write_events({std::move(event)});
    dispatcher_.nudge();  // queued behind the write
}

void Webhooks::reload_later() {
    reload_timer_.expires_after(reload_period);
    reload_timer_.async_wait([this](boost::system::error_code error) {
        if (error) return;
        worker_.post_read([selection = selection_, seen = selection_->changes()](store::Storage& storage) {
            // Kept as they were while the database cannot say (the storage logs why).
            if (auto listed = storage.list_webhooks()) selection->replace_if_unchanged(listed.value(), seen);
        });
        reload_later();
    });
}

}  // namespace ff::webhooks
