// pjsip-service: the FoodFlow telephony service, with the Sofia-SIP engine.
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "app/service.hpp"
#include "sip/sip_engine.hpp"

int main(int argc, char** argv) {
    try {
        return ff::app::run_service(argc, argv, [](ff::sip::TelephonyContext& telephony) {
            auto engine =
                ff::sip::SipEngine::start(telephony, ff::sip::SipEngineOptions::from(telephony.config));
            // Without its SIP port the service is of no use: stop the start-up with the reason.
            if (!engine) throw std::runtime_error("SIP engine: " + engine.error().message);
            return std::unique_ptr<ff::calls::CallControl>(std::move(engine).value());
        });
    } catch (const std::exception& error) {
        spdlog::critical("{}", error.what());
        spdlog::default_logger()->flush();
        return 1;
    }
}
