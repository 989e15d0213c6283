// Start-up, wiring and shutdown of the whole service; main() of each binary only picks the SIP engine.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "sip/telephony_context.hpp"

namespace ff::http {
class Router;
}
namespace ff::api {
struct ApiServices;
}

namespace ff::app {

// Builds the call control once the call model exists.
using CallControlFactory = std::function<std::unique_ptr<calls::CallControl>(sip::TelephonyContext&)>;
// Lets a binary add routes of its own (the test-only simulator does).
using ExtraRoutes = std::function<void(http::Router&, api::ApiServices&)>;

int run_service(int argc, char** argv, const CallControlFactory& make_call_control,
                const ExtraRoutes& install_extra_routes = {});

}  // namespace ff::app
