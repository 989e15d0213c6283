// Gives the memory of ended calls back to the system. glibc keeps freed heap pages in the process (it only
// returns the top of a heap on its own), so after a burst of calls, and of the transactions Sofia keeps for
// up to 32 s after each exchange, the resident size would stay at the burst's peak; the holes also stay
// resident while new calls are set up. Trimming now and then, only while calls come and go, returns them.
#pragma once

#include <chrono>

namespace ff::sip {

class HeapTrim {
  public:
    using Clock = std::chrono::steady_clock;

    // At most once per `interval`, and only within `linger` of the last call that came or went (Sofia frees
    // a call's last transactions up to 32 s after it ended).
    explicit HeapTrim(std::chrono::milliseconds interval = std::chrono::seconds(2),
                      std::chrono::milliseconds linger = std::chrono::seconds(40));

    void activity(Clock::time_point now = Clock::now());  // a call came or went
    // Trims if due; true when it did.
    bool tick(Clock::time_point now = Clock::now());

  private:
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds linger_;
    Clock::time_point last_activity_{};
    Clock::time_point last_trim_{};
    bool active_ = false;
};

}  // namespace ff::sip
