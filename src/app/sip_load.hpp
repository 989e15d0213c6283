// SIP_MAX_DELAY_MS as /health tells it: the SIP thread's delay and whether new calls are shed for it. A
// shedding that came and went stays reported for a while, so that a monitor polling every few seconds sees
// a burst that was shed between two of its reads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "api/dependency_status.hpp"

namespace ff::app {

class SipLoad {
  public:
    using Clock = std::chrono::steady_clock;

    explicit SipLoad(std::chrono::milliseconds max_delay) : max_delay_(max_delay) {}

    // What the SIP engine reports after each measure (its thread).
    void observe(std::chrono::milliseconds delay, bool shedding);
    // "sip": not ok while new calls are shed and for `remembered` after (any thread).
    api::DependencyStatus status() const;

    static constexpr std::chrono::seconds remembered{10};

  private:
    std::chrono::milliseconds max_delay_;
    std::atomic<std::int64_t> delay_ms_{0};
    std::atomic<bool> shedding_{false};
    std::atomic<std::int64_t> last_shed_ms_{-1};  // steady clock; -1: never shed
    std::atomic<std::int64_t> worst_ms_{0};       // the latest delay seen while shedding
};

}  // namespace ff::app
