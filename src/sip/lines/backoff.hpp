// Retry delays after a failed registration: 1 s, 2 s, 4 s ... capped, each shortened by a random jitter.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace ff::sip {

struct BackoffPolicy {
    std::chrono::milliseconds first{1000};
    std::chrono::milliseconds cap{30000};
    // Each delay is cut by up to this fraction at random, so lines that failed together (a PBX restart)
    // do not all retry in the same millisecond; a delay never exceeds the cap.
    double jitter = 0.2;
};

// Delay before retry number `failures` (1 after the first failure). `random_fraction` is in [0, 1):
// 0 gives the nominal delay, values towards 1 shorten it by up to `policy.jitter`.
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int failures, double random_fraction);

// The delays of consecutive failures; reset() after a success starts again from the first one.
class Backoff {
  public:
    explicit Backoff(BackoffPolicy policy, std::uint32_t seed = std::random_device{}());

    std::chrono::milliseconds next();
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }

  private:
    BackoffPolicy policy_;
    int failures_ = 0;
    std::mt19937 random_;
};

}  // namespace ff::sip
