// Start-up, wiring and shutdown of the whole service; main() of each binary only picks the SIP engine.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"

namespace ff::http {
class Router;
}
namespace ff::api {
struct ApiServices;
}
namespace ff::config {
class LiveSettings;
struct ServiceConfig;
}
namespace ff::directory {
class CustomerDirectory;
}

namespace ff::app {

// What a SIP engine (or the test-only simulator) gets to work with.
struct TelephonyContext {
    calls::CallRegistry& registry;              // drives every call through it
    calls::EventBus& bus;                       // line and phone state events (sip:connected ...)
    directory::CustomerDirectory& customers;    // caller lookup for the popup
    config::LiveSettings& settings;             // PBX settings and operator accounts, changing live
    boost::asio::io_context& io;                // the network loop, for timers and hand-backs
    const config::ServiceConfig& config;        // start-up settings (SIP_LISTEN, SIP_REGISTER_EXPIRES ...)
    // With several instances: whether an inbound call to this extension, whose phone is not registered here,
    // is another instance's to take (empty when alone).
    std::function<bool(const std::string& extension)> leave_inbound_to_others{};
};

// Builds the call control once the call model exists.
using CallControlFactory = std::function<std::unique_ptr<calls::CallControl>(TelephonyContext&)>;
// Lets a binary add routes of its own (the test-only simulator does).
using ExtraRoutes = std::function<void(http::Router&, api::ApiServices&)>;

int run_service(int argc, char** argv, const CallControlFactory& make_call_control,
                const ExtraRoutes& install_extra_routes = {});

}  // namespace ff::app
