// Turns call-model events into Socket.IO frames and the rooms that receive them, once per event.
#pragma once

#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "calls/call.hpp"
#include "calls/events.hpp"
#include "calls/telephony_status.hpp"
#include "realtime/engine_packet.hpp"

namespace ff::realtime {

struct Broadcast {
    Frame frame;                     // the whole engine.io packet, shared by every receiver
    std::vector<std::string> rooms;  // empty: every connected client
};

// call:* events go to the call's operator room, the previous one after a transfer, and "all";
// sip:connected / sip:disconnected / line:state go to everyone.
Broadcast make_broadcast(const calls::Event& event);

// The rooms a client joins once authenticated.
std::vector<std::string> rooms_for(const auth::Principal& principal);

// "calls:snapshot" with the active calls this principal may see and the SIP status.
Frame make_snapshot(const auth::Principal& principal, const std::vector<calls::Call>& active,
                    const calls::TelephonyStatus& status);

// An engine.io message carrying one Socket.IO event with one JSON argument.
Frame make_event_frame(std::string_view name, std::string_view payload_json);

}  // namespace ff::realtime
