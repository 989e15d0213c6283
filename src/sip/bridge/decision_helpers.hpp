// The small vocabulary the bridge's decision files share: answers' classes and decisions built from actions.
#pragma once

#include <initializer_list>
#include <string>

#include "sip/bridge/bridge_decisions.hpp"

namespace ff::sip::decisions {

inline bool provisional_answer(int status) {
    return status > 100 && status < 200;
}

inline bool success_answer(int status) {
    return status >= 200 && status < 300;
}

inline BridgeDecision actions(std::initializer_list<BridgeAction> list) {
    BridgeDecision decision;
    decision.actions = list;
    return decision;
}

inline BridgeDecision end_with(calls::EndReason reason) {
    BridgeDecision decision = actions({BridgeAction::end});
    decision.reason = reason;
    return decision;
}

inline BridgeDecision refusal(calls::ErrorCode code, std::string message, BridgeAction action = BridgeAction::refuse) {
    BridgeDecision decision = actions({action});
    decision.error = code;
    decision.message = std::move(message);
    return decision;
}

inline void add(BridgeDecision& decision, std::initializer_list<BridgeAction> list) {
    decision.actions.insert(decision.actions.end(), list);
}

}  // namespace ff::sip::decisions
