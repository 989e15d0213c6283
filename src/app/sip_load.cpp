#include "app/sip_load.hpp"

#include <string>

namespace ff::app {

namespace {

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SipLoad::Clock::now().time_since_epoch()).count();
}

}  // namespace

void SipLoad::observe(std::chrono::milliseconds delay, bool shedding) {
    delay_ms_.store(delay.count());
    shedding_.store(shedding);
    if (!shedding) return;
    last_shed_ms_.store(steady_ms());
    worst_ms_.store(delay.count());
}

api::DependencyStatus SipLoad::status() const {
    const std::string limit = std::to_string(max_delay_.count()) + " ms (SIP_MAX_DELAY_MS)";
    const std::string now = "the SIP thread serves requests " + std::to_string(delay_ms_.load()) + " ms late";
    if (shedding_.load())
        return {"sip", false, now + ", past " + limit + ": new calls get 503 with Retry-After until it catches up"};
    const std::int64_t last = last_shed_ms_.load();
    const std::int64_t ago = steady_ms() - last;
    if (last >= 0 && ago < std::chrono::milliseconds(remembered).count())
        return {"sip", false, "new calls were shed " + std::to_string(ago / 1000) + " s ago, the SIP thread " +
                                  std::to_string(worst_ms_.load()) + " ms late, past " + limit + "; " + now};
    return {"sip", true, now + "; new calls are shed past " + limit};
}

}  // namespace ff::app
