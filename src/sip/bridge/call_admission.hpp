// Whether the service takes one more call: at most so many calls at once and so many new calls a second
// (MAX_CONCURRENT_CALLS, MAX_CALLS_PER_SECOND), and none while the SIP thread serves what reaches it too late
// (SIP_MAX_DELAY_MS), so that past its capacity it refuses new calls at once (503 with Retry-After) instead
// of setting every call up too late. Calls already up are never touched. Plain data.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace ff::sip {

struct CallAdmissionOptions {
    std::size_t max_concurrent = 0;  // 0: no limit
    int max_per_second = 0;          // 0: no limit
    // The SIP thread's delay past which new calls are shed, until it is back under half of it (0: never).
    std::chrono::milliseconds max_delay{0};
};

class CallAdmission {
  public:
    using Clock = std::chrono::steady_clock;

    struct Verdict {
        bool admitted = true;
        std::chrono::seconds retry_after{0};  // a refusal: when to try again
        std::string reason;                   // a refusal: which limit, for the log and the API
    };

    explicit CallAdmission(CallAdmissionOptions options) : options_(options) {}

    // A new call at `now`, with `active` calls up: admitted (and counted in its second), or refused.
    Verdict admit(std::size_t active, Clock::time_point now);

    // How late the SIP thread serves what reaches it now (DelayProbe): past max_delay new calls are shed,
    // until it is back under half of it, so that a thread at its edge does not flap between the two.
    void observe_delay(std::chrono::milliseconds delay);
    bool shedding() const { return shedding_; }
    std::chrono::milliseconds delay() const { return delay_; }

  private:
    CallAdmissionOptions options_;
    bool shedding_ = false;
    std::chrono::milliseconds delay_{0};
    Clock::time_point second_start_{};
    int admitted_this_second_ = 0;
};

}  // namespace ff::sip
