#include "webhooks/retry_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace ff::webhooks {

std::optional<std::int64_t> next_attempt(const RetryPolicy& policy, int failures, std::int64_t created_ms,
                                         std::int64_t now_ms, double unit) {
    const std::int64_t deadline = created_ms + policy.give_up_after.count();
    if (now_ms >= deadline) return std::nullopt;
    const int doublings = std::clamp(failures - 1, 0, 40);
    const double full = std::min(static_cast<double>(policy.first.count()) * std::ldexp(1.0, doublings),
                                 static_cast<double>(policy.longest.count()));
    const auto wait = static_cast<std::int64_t>(full * (0.5 + 0.5 * std::clamp(unit, 0.0, 1.0)));
    // The last attempt comes at the end of the window rather than never.
    return std::min(now_ms + std::max<std::int64_t>(wait, 1), deadline);
}

}  // namespace ff::webhooks
