// Events to SMS: the decision and its record on the storage thread, the request on the io_context, the
// outcome back on the storage thread, and the call's call:updated on the io_context.
#include "sms/sms_notifier.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <mutex>
#include <variant>

#include "calls/callback_list.hpp"

namespace ff::sms {

struct NotifierState {
    std::mutex mutex;
    bool alive = true;  // false once the notifier is gone: late jobs do nothing
    calls::EventBus* bus;
    store::StoreWorker* worker;
    boost::asio::io_context* io;
    NotifierOptions options;
};

namespace {

using SharedState = std::shared_ptr<NotifierState>;

// The call as the log has it now, to everyone who shows it.
void publish_call(const SharedState& state, store::Storage& storage, const std::string& call_id) {
    auto call = storage.find_call(call_id);
    if (!call || !call.value()) return;
    std::lock_guard lock(state->mutex);
    if (!state->alive) return;
    boost::asio::post(*state->io, [state, call = std::move(*call.value())] {
        {
            std::lock_guard alive_lock(state->mutex);
            if (!state->alive) return;
        }
        // Not under the lock: the bus brings this event back to heard(), which takes it.
        state->bus->publish(calls::CallEvent{calls::CallEventKind::updated, call, {}});
    });
}

void finish(const SharedState& state, std::int64_t id, std::string call_id, std::string status, std::string detail) {
    std::lock_guard lock(state->mutex);
    if (!state->alive) return;
    state->worker->post([state, id, call_id, status, detail](store::Storage& storage) {
        if (auto written = storage.finish_sms(id, status, detail); !written) {
            spdlog::warn("sms: the outcome for call {} is not kept: {}", call_id, written.error().message);
            return;
        }
        publish_call(state, storage, call_id);
    });
}

void send(const SharedState& state, std::int64_t id, const store::SmsAttempt& attempt) {
    auto request = gateway_request(state->options.gateway, attempt.phone, attempt.text);
    if (!request) return finish(state, id, attempt.call_id, "failed", "SMS_GATEWAY_URL does not give an http(s) URL");
    http::send_request(*state->io, std::move(*request), [state, id, call_id = attempt.call_id](http::ClientOutcome outcome) {
        if (outcome.answer && outcome.answer->status >= 200 && outcome.answer->status < 300)
            return finish(state, id, call_id, "sent", "");
        // The gateway's own words say why (a wrong key, no balance); its URL is never logged (it holds the key).
        std::string detail = outcome.answer ? "the gateway answered HTTP " + std::to_string(outcome.answer->status) + ": " +
                                                  outcome.answer->body.substr(0, 200)
                                            : outcome.error;
        spdlog::warn("sms: to the customer of call {} not sent: {}", call_id, detail);
        finish(state, id, call_id, "failed", std::move(detail));
    });
}

void attempt(const SharedState& state, store::SmsAttempt wanted) {
    if (wanted.text.empty() || wanted.phone.empty() || calls::is_internal_number(wanted.phone)) return;
    std::lock_guard lock(state->mutex);
    if (!state->alive) return;
    state->worker->post([state, wanted = std::move(wanted)](store::Storage& storage) {
        auto decided = storage.begin_sms(wanted);
        if (!decided) {
            spdlog::warn("sms: call {}: cannot decide ({}); none sent", wanted.call_id, decided.error().message);
            return;
        }
        switch (decided->outcome) {
            case store::SmsDecision::Outcome::already:
                return;
            case store::SmsDecision::Outcome::skipped:
                return publish_call(state, storage, wanted.call_id);
            case store::SmsDecision::Outcome::send:
                break;
        }
        std::lock_guard alive_lock(state->mutex);
        if (!state->alive) return;
        boost::asio::post(*state->io, [state, id = decided->id, wanted] { send(state, id, wanted); });
    });
}

store::SmsAttempt attempt_of(const NotifierState& state, std::string call_id, std::string kind, std::string phone) {
    return {std::move(call_id), kind, std::move(phone),
            kind == "missed" ? state.options.missed_text() : state.options.order_text(), calls::now_ms().time_since_epoch().count(),
            std::chrono::duration_cast<std::chrono::milliseconds>(state.options.min_interval).count()};
}

void heard(const SharedState& state, const calls::Event& event) {
    if (const auto* callback = std::get_if<calls::CallbackEvent>(&event)) {
        if (callback->kind == calls::CallbackEvent::Kind::missed)
            attempt(state, attempt_of(*state, callback->callback.last_call_id, "missed", callback->callback.phone));
        return;
    }
    const auto* call_event = std::get_if<calls::CallEvent>(&event);
    if (call_event == nullptr || call_event->call.is_active() || call_event->call.orders.empty()) return;
    attempt(state, attempt_of(*state, call_event->call.id, "order", call_event->call.remote_number()));
}

}  // namespace

SmsNotifier::SmsNotifier(calls::EventBus& bus, store::StoreWorker& worker, boost::asio::io_context& io,
                         NotifierOptions options)
    : state_(std::make_shared<NotifierState>()) {
    state_->bus = &bus;
    state_->worker = &worker;
    state_->io = &io;
    state_->options = std::move(options);
    bus.subscribe([state = state_](const calls::Event& event) { heard(state, event); });
}

SmsNotifier::~SmsNotifier() {
    std::lock_guard lock(state_->mutex);
    state_->alive = false;
}

}  // namespace ff::sms
