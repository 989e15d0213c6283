// Event names and payloads are the seed's contract with FoodFlow's frontend.
#include "realtime/event_fanout.hpp"

#include <algorithm>
#include <variant>

#include "realtime/room_index.hpp"
#include "realtime/socketio_packet.hpp"
#include "wire/call_json.hpp"
#include "wire/callback_json.hpp"
#include "wire/operator_json.hpp"
#include "wire/queue_json.hpp"

namespace ff::realtime {

Frame make_event_frame(std::string_view name, std::string_view payload_json) {
    return make_frame(EnginePacketType::message, encode_event(name, payload_json));
}

namespace {

Broadcast call_broadcast(const calls::CallEvent& event) {
    Broadcast broadcast;
    broadcast.frame = make_event_frame(calls::event_name(event.kind), dump_json(wire::to_json(event.call)));
    broadcast.rooms.emplace_back(supervisors_room);
    if (!event.call.extension.empty()) broadcast.rooms.push_back(extension_room(event.call.extension));
    if (!event.previous_extension.empty() && event.previous_extension != event.call.extension) {
        broadcast.rooms.push_back(extension_room(event.previous_extension));
    }
    // A queue's ringall: every member it rings sees the call, and hears when it rings for them no more.
    for (const auto* list : {&event.call.offered_to, &event.offered_before}) {
        for (const auto& extension : *list) {
            const std::string room = extension_room(extension);
            if (std::find(broadcast.rooms.begin(), broadcast.rooms.end(), room) == broadcast.rooms.end())
                broadcast.rooms.push_back(room);
        }
    }
    return broadcast;
}

Broadcast telephony_broadcast(const calls::TelephonyEvent& event) {
    switch (event.kind) {
        case calls::TelephonyEvent::Kind::connected:
            return {make_event_frame("sip:connected", dump_json(wire::to_json(event.status))), {}};
        case calls::TelephonyEvent::Kind::disconnected:
            return {make_event_frame("sip:disconnected", dump_json(wire::to_json(event.status))), {}};
        case calls::TelephonyEvent::Kind::line_changed:
            return {make_event_frame("line:state", dump_json(wire::to_json(event.line))), {}};
    }
    return {make_event_frame("line:state", dump_json(wire::to_json(event.line))), {}};
}

// operator:state goes to the supervisors and to the operator's own consoles.
Broadcast operator_broadcast(const calls::OperatorEvent& event) {
    return {make_event_frame("operator:state", dump_json(wire::to_json(event.status))),
            {std::string(supervisors_room), extension_room(event.status.extension)}};
}

// The callback list is the whole centre's work: every console hears of it.
Broadcast callback_broadcast(const calls::CallbackEvent& event) {
    const std::string_view name =
        event.kind == calls::CallbackEvent::Kind::missed ? "callback:missed" : "callback:resolved";
    return {make_event_frame(name, dump_json(wire::to_json(event.callback, calls::now_ms()))), {}};
}

// Every console shows how many wait; the supervisors' boards show who.
Broadcast queue_broadcast(const calls::QueueEvent& event) {
    const nlohmann::json payload = {{"queue", event.queue}, {"waiting", wire::waiting_json(event.callers)}};
    return {make_event_frame("queue:state", dump_json(payload)), {}};
}

// Every console offers the pauses: all of them hear of a new list at once.
Broadcast pause_reasons_broadcast(const calls::PauseReasonsEvent& event) {
    return {make_event_frame("operator:reasons", dump_json(nlohmann::json{{"pauseReasons", event.reasons}})), {}};
}

}  // namespace

Broadcast make_broadcast(const calls::Event& event) {
    if (const auto* call_event = std::get_if<calls::CallEvent>(&event)) return call_broadcast(*call_event);
    if (const auto* operator_event = std::get_if<calls::OperatorEvent>(&event)) return operator_broadcast(*operator_event);
    if (const auto* callback_event = std::get_if<calls::CallbackEvent>(&event)) return callback_broadcast(*callback_event);
    if (const auto* queue_event = std::get_if<calls::QueueEvent>(&event)) return queue_broadcast(*queue_event);
    if (const auto* reasons = std::get_if<calls::PauseReasonsEvent>(&event)) return pause_reasons_broadcast(*reasons);
    return telephony_broadcast(std::get<calls::TelephonyEvent>(event));
}

std::vector<std::string> rooms_for(const auth::Principal& principal) {
    if (principal.sees_all_calls()) return {std::string(supervisors_room)};
    return {extension_room(principal.extension)};
}

Frame make_snapshot(const auth::Principal& principal, const std::vector<calls::Call>& active,
                    const calls::TelephonyStatus& status) {
    nlohmann::json calls = nlohmann::json::array();
    for (const auto& call : active) {
        if (principal.may_see_extension(call.extension)) calls.push_back(wire::to_json(call));
    }
    const nlohmann::json payload = {{"calls", std::move(calls)}, {"sip", wire::to_json(status)}};
    return make_event_frame("calls:snapshot", dump_json(payload));
}

}  // namespace ff::realtime
