// TEST-ONLY. HTTP routes under /_simulator/ with which black-box tests play the PBX and the phones.
#pragma once

#include "api/api_services.hpp"
#include "http/router.hpp"
#include "testing/simulated_call_control.hpp"

namespace ff::testing {

// POST /_simulator/inbound {from, extension}            a customer calls an operator (caller looked up)
// POST /_simulator/calls/:id/ringing|answered|held|unheld what the phone or the PBX reported
// POST /_simulator/calls/:id/ended {reason}             the far end hung up (missed, busy, completed ...)
// POST /_simulator/telephony {connected, registeredUsers} lines up or down (sip:connected / sip:disconnected)
// No token: these routes exist only in the test-only binary.
void install_simulator_routes(http::Router& router, api::ApiServices& services,
                              SimulatedCallControl& control);

}  // namespace ff::testing
