// JSON form of a queue's configuration, for the API (GET/PUT /api/queues) and the settings table.
#pragma once

#include <nlohmann/json.hpp>

#include "calls/queue.hpp"
#include "calls/result.hpp"

namespace ff::wire {

// {extension, name, strategy, members: [{extension, tier}], ringSeconds, maxWaitSeconds, overflowNumber}:
// overflowNumber null when a caller who waited too long is let go.
nlohmann::json to_json(const calls::QueueConfig& queue);

// The queue from that form; absent ringSeconds, maxWaitSeconds, overflowNumber and tiers take their defaults.
// Refuses what is malformed or out of range, naming the field (invalid_argument). Whether the extensions
// are lines of the service is the caller's to check.
calls::Result<calls::QueueConfig> queue_from_json(const nlohmann::json& json);

// Who waits: [{callId, caller, since, position, ringing: [extension...]}], in order.
nlohmann::json waiting_json(const std::vector<calls::QueueCaller>& callers);

}  // namespace ff::wire
