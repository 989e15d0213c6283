// pjsip-service-simulated-sip: TEST-ONLY build of the service with a simulated SIP engine that
// black-box tests drive over HTTP (/_simulator/...). Never deploy it: those routes need no token.
#include "app/service.hpp"
#include "testing/simulated_call_control.hpp"
#include "testing/simulator_routes.hpp"

int main(int argc, char** argv) {
    ff::testing::SimulatedCallControl* control = nullptr;
    return ff::app::run_service(
        argc, argv,
        [&control](ff::sip::TelephonyContext& telephony) {
            auto simulated = std::make_unique<ff::testing::SimulatedCallControl>(telephony);
            control = simulated.get();
            return simulated;
        },
        [&control](ff::http::Router& router, ff::api::ApiServices& services) {
            if (control) ff::testing::install_simulator_routes(router, services, *control);
        });
}
