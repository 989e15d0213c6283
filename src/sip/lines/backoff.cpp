// Exponential backoff with jitter for registration retries.
#include "sip/lines/backoff.hpp"

#include <algorithm>

namespace ff::sip {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int failures, double random_fraction) {
    using std::chrono::milliseconds;
    const auto cap = std::max(policy.cap, policy.first);
    milliseconds nominal = policy.first;
    // Doubling stops at the cap, so a long outage never overflows.
    for (int i = 1; i < failures && nominal < cap; ++i) nominal *= 2;
    nominal = std::min(nominal, cap);
    const double fraction = std::clamp(random_fraction, 0.0, 1.0);
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
    const auto cut = static_cast<milliseconds::rep>(static_cast<double>(nominal.count()) * jitter * fraction);
    return nominal - milliseconds(cut);
}

Backoff::Backoff(BackoffPolicy policy, std::uint32_t seed) : policy_(policy), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
    ++failures_;
    std::uniform_real_distribution<double> fraction(0.0, 1.0);
    return backoff_delay(policy_, failures_, fraction(random_));
}

}  // namespace ff::sip
