// A call's JSON without what an active call's encoding takes from the clock: its talk time and that of each
// operator's open turn. Two encodings of one call a moment apart, across a second's boundary, compare equal.
#pragma once

#include <nlohmann/json.hpp>

inline nlohmann::json call_without_clock(nlohmann::json call) {
    if (!call.is_object()) return call;
    call.erase("duration");
    if (const auto turns = call.find("operators"); turns != call.end() && turns->is_array()) {
        for (auto& turn : *turns) {
            if (turn.is_object()) turn.erase("talkSeconds");
        }
    }
    return call;
}
