// pjsip-service: the FoodFlow telephony service.
#include "app/service.hpp"

int main(int argc, char** argv) {
    return ff::app::run_service(argc, argv, [](ff::app::TelephonyContext&) {
        return std::make_unique<ff::calls::UnavailableCallControl>();
    });
}
