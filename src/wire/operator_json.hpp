// JSON form of an operator's state, for GET /api/operators and the operator:state event.
#pragma once

#include <nlohmann/json.hpp>

#include "calls/operator_status.hpp"

namespace ff::wire {

// {extension, state, reason, since}: state "available" | "paused" | "wrapup" | "oncall" | "offline"; reason
// null unless paused; since the time the state began (null before anything was known of the operator).
nlohmann::json to_json(const calls::OperatorStatus& status);

}  // namespace ff::wire
