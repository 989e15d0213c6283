#include "sip/bridge/call_admission.hpp"

namespace ff::sip {

void CallAdmission::observe_delay(std::chrono::milliseconds delay) {
    delay_ = delay;
    if (options_.max_delay.count() <= 0) return;
    if (delay > options_.max_delay) shedding_ = true;
    else if (delay <= options_.max_delay / 2) shedding_ = false;
}

CallAdmission::Verdict CallAdmission::admit(std::size_t active, Clock::time_point now) {
    if (shedding_)
        return {false, std::chrono::seconds(2),
                "the SIP thread serves requests " + std::to_string(delay_.count()) + " ms late, past its limit of " +
                    std::to_string(options_.max_delay.count()) + " ms (SIP_MAX_DELAY_MS)"};
    if (options_.max_concurrent > 0 && active >= options_.max_concurrent)
        return {false, std::chrono::seconds(5),
                "the service carries " + std::to_string(active) + " calls, its limit (MAX_CONCURRENT_CALLS)"};
    if (options_.max_per_second > 0) {
        // A fixed window of one second: simple, and a burst at its edge is at most twice the rate.
        if (now - second_start_ >= std::chrono::seconds(1)) {
            second_start_ = now;
            admitted_this_second_ = 0;
        }
        if (admitted_this_second_ >= options_.max_per_second)
            return {false, std::chrono::seconds(1),
                    std::to_string(options_.max_per_second) + " new calls this second, the limit (MAX_CALLS_PER_SECOND)"};
        ++admitted_this_second_;
    }
    return {};
}

}  // namespace ff::sip
