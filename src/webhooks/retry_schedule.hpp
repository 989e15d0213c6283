// When a failed delivery is tried again: exponential backoff with jitter, given up after the retry window.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace ff::webhooks {

struct RetryPolicy {
    std::chrono::milliseconds first{1000};          // the wait after the first failure, before jitter
    std::chrono::milliseconds longest{600'000};     // WEBHOOK_RETRY_MAX_SECONDS
    std::chrono::milliseconds give_up_after{24 * 3'600'000};  // WEBHOOK_RETRY_HOURS, from the event
};

// The time of the next attempt after `failures` failed ones (1 after the first), or nullopt once the event,
// put in the outbox at `created_ms`, is older than the window. `unit` in [0, 1) picks the jitter: the wait is
// between half and all of first * 2^(failures-1), capped at `longest`, so that deliveries failed together do
// not all come back together.
std::optional<std::int64_t> next_attempt(const RetryPolicy& policy, int failures, std::int64_t created_ms,
                                         std::int64_t now_ms, double unit);

}  // namespace ff::webhooks
