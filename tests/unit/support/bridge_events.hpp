// Events and states for the bridge's decision tests: one event of a leg, the state of a call just admitted or
// in conversation. Inline, for the test files that share them.
#pragma once

#include <vector>

#include "sip/bridge/bridge_decisions.hpp"

namespace ff::testing::bridge {

using sip::BridgeAction;
using sip::BridgeEvent;
using sip::BridgeFlow;
using sip::BridgeLeg;
using sip::BridgePhase;
using sip::BridgeState;
using Kind = BridgeEvent::Kind;
using Actions = std::vector<BridgeAction>;

inline BridgeEvent event(Kind kind, BridgeLeg leg = BridgeLeg::customer, int status = 0) {
    BridgeEvent happened;
    happened.kind = kind;
    happened.leg = leg;
    happened.status = status;
    return happened;
}

inline BridgeEvent answer(BridgeLeg leg, int status) {
    return event(Kind::answer, leg, status);
}

inline BridgeEvent fork_answer(int status, bool last_fork) {
    BridgeEvent happened = answer(BridgeLeg::fork, status);
    happened.last_fork = last_fork;
    return happened;
}

inline BridgeEvent reinvite(BridgeLeg leg, bool holds) {
    BridgeEvent happened = event(Kind::reinvite, leg);
    happened.leg_answered = true;
    happened.has_offer = true;
    happened.offer_holds = holds;
    return happened;
}

inline BridgeState admitted(BridgeFlow flow) {
    BridgeState state;
    state.flow = flow;
    BridgeEvent created = event(Kind::admitted);
    sip::decide(state, created);
    return state;
}

inline BridgeState talking(BridgeFlow flow) {
    BridgeState state = admitted(flow);
    state.phase = BridgePhase::talking;
    return state;
}

}  // namespace ff::testing::bridge
