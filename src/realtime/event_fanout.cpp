// Event names and payloads are the seed's contract with FoodFlow's frontend.
#include "realtime/event_fanout.hpp"

#include <algorithm>
#include <variant>

#include "realtime/room_index.hpp"
#include "realtime/socketio_packet.hpp"
#include "wire/call_json.hpp"
#include "wire/event_json.hpp"

namespace ff::realtime {

Frame make_event_frame(std::string_view name, std::string_view payload_json) {
    return make_frame(EnginePacketType::message, encode_event(name, payload_json));
}

namespace {

// call:* go to the supervisors, the call's operator, the one before a transfer, and every member a queue
// rang for it (they hear when it rings for them no more).
std::vector<std::string> call_rooms(const calls::CallEvent& event) {
    std::vector<std::string> rooms{std::string(supervisors_room)};
    if (!event.call.extension.empty()) rooms.push_back(extension_room(event.call.extension));
    if (!event.previous_extension.empty() && event.previous_extension != event.call.extension) {
        rooms.push_back(extension_room(event.previous_extension));
    }
    for (const auto* list : {&event.call.offered_to, &event.offered_before}) {
        for (const auto& extension : *list) {
            const std::string room = extension_room(extension);
            if (std::find(rooms.begin(), rooms.end(), room) == rooms.end()) rooms.push_back(room);
        }
    }
    return rooms;
}

// Who hears an event; empty: every connected client (the line states, the callback list, the queues and
// the pause reasons are the whole centre's).
std::vector<std::string> rooms_of(const calls::Event& event) {
    if (const auto* call_event = std::get_if<calls::CallEvent>(&event)) return call_rooms(*call_event);
    // operator:state goes to the supervisors and to the operator's own consoles.
    if (const auto* operator_event = std::get_if<calls::OperatorEvent>(&event))
        return {std::string(supervisors_room), extension_room(operator_event->status.extension)};
    return {};
}

}  // namespace

Broadcast make_broadcast(const calls::Event& event) {
    const wire::NamedPayload named = wire::to_named_payload(event);
    return {make_event_frame(named.name, dump_json(named.payload)), rooms_of(event)};
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
