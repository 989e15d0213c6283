// Doubling by steps instead of shifting: no overflow however many failures an address has piled up.
#include "sip/phones/registrar_failure_delay.hpp"

#include <algorithm>

namespace ff::sip {

std::chrono::milliseconds FailureDelay::after(int earlier_failures) const {
    using std::chrono::milliseconds;
    if (earlier_failures <= 0 || policy_.first_step <= milliseconds::zero() ||
        policy_.longest <= milliseconds::zero())
        return milliseconds::zero();
    milliseconds wait = std::min(policy_.first_step, policy_.longest);
    for (int failure = 1; failure < earlier_failures && wait < policy_.longest; ++failure)
        wait = std::min(wait * 2, policy_.longest);
    return wait;
}

}  // namespace ff::sip
