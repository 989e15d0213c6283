// Webhooks as the rest of the service sees them: which webhooks want what (kept in step with the database),
// events into the outbox with the call log's writes, and the dispatcher that delivers them.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "store/call_log_writer.hpp"
#include "store/store_worker.hpp"
#include "webhooks/webhook_dispatcher.hpp"
#include "webhooks/webhook_events.hpp"

namespace ff::webhooks {

class Webhooks {
  public:
    // Hooks into the writer at once, so that every event from now on reaches the outbox of the webhooks
    // subscribed; `subscribed` are those stored when the service starts.
    Webhooks(boost::asio::io_context& io, store::StoreWorker& worker, store::CallLogWriter& writer,
             std::vector<store::Webhook> subscribed, DispatcherOptions options);
    ~Webhooks();
    Webhooks(const Webhooks&) = delete;
    Webhooks& operator=(const Webhooks&) = delete;

    void start(const std::string& instance);  // WebhookDispatcher::start
    void stop();  // before the io_context stops

    // The API changed the subscriptions (stored already).
    void added(const store::Webhook& webhook);
    void removed(const std::string& id);

    // An event of no bus event (a test delivery): into the outbox, then delivered like the others.
    void send(store::OutboxEvent event);

    const WebhookDispatcher& dispatcher() const { return dispatcher_; }
    WebhookDispatcher& dispatcher() { return dispatcher_; }

  private:
    void reload_later();

    store::StoreWorker& worker_;
    store::CallLogWriter& writer_;
    std::shared_ptr<WebhookSelection> selection_ = std::make_shared<WebhookSelection>();
    WebhookDispatcher dispatcher_;
    boost::asio::steady_timer reload_timer_;
};

}  // namespace ff::webhooks
