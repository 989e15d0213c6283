#include "app/sip_load.hpp"

#include <string>

namespace ff::app {

api::DependencyStatus SipLoad::status() const {
    const std::string delay = std::to_string(delay_ms_.load()) + " ms";
    const std::string limit = std::to_string(max_delay_.count()) + " ms (SIP_MAX_DELAY_MS)";
    if (shedding_.load())
        return {"sip", false, "the SIP thread serves requests " + delay + " late, past " + limit +
                                  ": new calls get 503 with Retry-After until it catches up"};
    return {"sip", true, "the SIP thread serves requests " + delay + " late; new calls are shed past " + limit};
}

}  // namespace ff::app
