// Event names and payloads are the seed's contract with FoodFlow's frontend.
#include "wire/event_json.hpp"

#include <variant>

#include "wire/call_json.hpp"
#include "wire/callback_json.hpp"
#include "wire/operator_json.hpp"
#include "wire/queue_json.hpp"

namespace ff::wire {

// Outside an anonymous namespace: in a unity build another file's local to_json would hide these overloads.
static NamedPayload telephony_payload(const calls::TelephonyEvent& event) {
    switch (event.kind) {
        case calls::TelephonyEvent::Kind::connected:
            return {"sip:connected", to_json(event.status)};
        case calls::TelephonyEvent::Kind::disconnected:
            return {"sip:disconnected", to_json(event.status)};
        case calls::TelephonyEvent::Kind::line_changed:
            break;
    }
    return {"line:state", to_json(event.line)};
}

NamedPayload to_named_payload(const calls::Event& event) {
    if (const auto* call_event = std::get_if<calls::CallEvent>(&event))
        return {calls::event_name(call_event->kind), to_json(call_event->call)};
    if (const auto* operator_event = std::get_if<calls::OperatorEvent>(&event))
        return {"operator:state", to_json(operator_event->status)};
    if (const auto* callback_event = std::get_if<calls::CallbackEvent>(&event)) {
        const bool missed = callback_event->kind == calls::CallbackEvent::Kind::missed;
        return {missed ? "callback:missed" : "callback:resolved", to_json(callback_event->callback, calls::now_ms())};
    }
    if (const auto* queue_event = std::get_if<calls::QueueEvent>(&event))
        return {"queue:state", {{"queue", queue_event->queue}, {"waiting", waiting_json(queue_event->callers)}}};
    if (const auto* reasons = std::get_if<calls::PauseReasonsEvent>(&event))
        return {"operator:reasons", {{"pauseReasons", reasons->reasons}}};
    return telephony_payload(std::get<calls::TelephonyEvent>(event));
}

const std::vector<std::string_view>& event_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> all;
        for (auto kind : {calls::CallEventKind::created, calls::CallEventKind::ringing, calls::CallEventKind::answered,
                          calls::CallEventKind::held, calls::CallEventKind::unheld, calls::CallEventKind::transferred,
                          calls::CallEventKind::ended, calls::CallEventKind::updated})
            all.push_back(calls::event_name(kind));
        for (std::string_view name : {"sip:connected", "sip:disconnected", "line:state", "operator:state",
                                      "operator:reasons", "callback:missed", "callback:resolved", "queue:state"})
            all.push_back(name);
        return all;
    }();
    return names;
}

}  // namespace ff::wire
