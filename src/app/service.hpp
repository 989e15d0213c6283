// Start-up, wiring and shutdown of the whole service; main() of each binary only picks the SIP engine.
#pragma once

#include <functional>
#include <memory>

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"

namespace ff::app {

// Builds the call control once the call model exists (the SIP engine drives calls through the registry).
using CallControlFactory = std::function<std::unique_ptr<calls::CallControl>(calls::CallRegistry&)>;

int run_service(int argc, char** argv, const CallControlFactory& make_call_control);

}  // namespace ff::app
