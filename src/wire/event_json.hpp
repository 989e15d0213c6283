// Each event of the call model as its name and JSON payload: the Socket.IO stream sends them, and webhooks
// carry the same payload as their `data`, so a receiver reads one shape wherever an event comes from.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "calls/events.hpp"

namespace ff::wire {

struct NamedPayload {
    std::string_view name;  // "call:new", "sip:connected", "operator:state", ...
    nlohmann::json payload;
};

NamedPayload to_named_payload(const calls::Event& event);

// Every name to_named_payload gives, in a stable order (webhook subscriptions choose among them).
const std::vector<std::string_view>& event_names();

}  // namespace ff::wire
