// SIP_MAX_DELAY_MS as /health tells it: the SIP thread's delay and whether new calls are shed for it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "api/dependency_status.hpp"

namespace ff::app {

class SipLoad {
  public:
    explicit SipLoad(std::chrono::milliseconds max_delay) : max_delay_(max_delay) {}

    // What the SIP engine reports after each measure (its thread).
    void observe(std::chrono::milliseconds delay, bool shedding) {
        delay_ms_.store(delay.count());
        shedding_.store(shedding);
    }
    // "sip": not ok while new calls are shed (any thread).
    api::DependencyStatus status() const;

  private:
    std::chrono::milliseconds max_delay_;
    std::atomic<long long> delay_ms_{0};
    std::atomic<bool> shedding_{false};
};

}  // namespace ff::app
