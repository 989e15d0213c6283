// An operator's state as the call centre sees it (calls/operator_board.hpp decides it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "calls/call.hpp"

namespace ff::calls {

enum class OperatorState { available, paused, wrapup, oncall, offline };

std::string_view to_string(OperatorState state);  // "available", "paused", "wrapup", "oncall", "offline"
std::optional<OperatorState> parse_operator_state(std::string_view text);

struct OperatorStatus {
    std::string extension;
    OperatorState state = OperatorState::offline;
    std::string reason;  // paused: the reason chosen from the list
    TimePoint since{};   // when this state began

    bool operator==(const OperatorStatus&) const = default;
};

struct OperatorEvent {
    OperatorStatus status;
};

}  // namespace ff::calls
