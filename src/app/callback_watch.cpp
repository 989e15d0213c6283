#include "app/callback_watch.hpp"

#include <spdlog/spdlog.h>

namespace ff::app {
namespace {

bool ended_unanswered(const calls::CallEvent& event) {
    const calls::Call& call = event.call;
    return event.kind == calls::CallEventKind::ended && call.direction == calls::Direction::inbound &&
           !call.answer_time && call.end_reason != calls::EndReason::transferred;
}

}  // namespace

CallbackWatch::CallbackWatch(calls::EventBus& bus, store::StoreWorker& store, std::chrono::hours window)
    : bus_(bus), store_(store), window_(window) {
    bus.subscribe([this](const calls::Event& event) {
        const auto* call_event = std::get_if<calls::CallEvent>(&event);
        if (call_event == nullptr || calls::is_internal_number(call_event->call.remote_number())) return;
        if (ended_unanswered(*call_event)) look_up(call_event->call, calls::CallbackEvent::Kind::missed);
        if (call_event->kind == calls::CallEventKind::answered)
            look_up(call_event->call, calls::CallbackEvent::Kind::resolved);
    });
}

// Publishes from the reader's thread: the bus's subscribers each hand the event to their own thread.
void CallbackWatch::look_up(const calls::Call& call, calls::CallbackEvent::Kind kind) {
    const auto since = calls::now_ms() - window_;
    store_.post_read([this, since, kind, call_id = call.id, phone = call.remote_number(),
                      start = call.start_time](store::Storage& storage) {
        auto entries = storage.callbacks_around(phone, since, start);
        if (!entries) return;  // already logged; the list's readers get the error themselves
        for (auto& entry : entries.value()) {
            const bool made_by_call = kind == calls::CallbackEvent::Kind::missed
                                          ? entry.status == calls::CallbackStatus::waiting && entry.last_call_id == call_id
                                          : entry.resolved_call_id == call_id;
            if (made_by_call) bus_.publish(calls::CallbackEvent{kind, std::move(entry)});
        }
    });
}

}  // namespace ff::app
