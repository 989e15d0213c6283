// Password guessing from one address: failed authentications are counted per source address within a
// window; past the limit, the address is refused for a while. Plain data, no SIP.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

namespace ff::sip {

struct LockoutPolicy {
    int failures_before_lockout = 10;  // this many failures within `window` lock the address out; 0 never
    std::chrono::seconds window{60};
    std::chrono::seconds lockout{300};
    std::size_t max_tracked_addresses = 10000;     // memory bound against scans from many addresses
    std::size_t max_counted_without_lockout = 32;  // failures kept per address when nothing locks out
};

class AuthLockout {
  public:
    using Clock = std::chrono::steady_clock;

    explicit AuthLockout(LockoutPolicy policy) : policy_(policy) {}

    // Whether requests from `address` are refused now.
    bool locked(const std::string& address, Clock::time_point now) const;
    // Counts a failed authentication from `address`; true when this very failure locks it out.
    bool record_failure(const std::string& address, Clock::time_point now);
    // Failures counted for `address` within the window ending `now`.
    int failures(const std::string& address, Clock::time_point now) const;
    std::size_t tracked() const { return by_address_.size(); }

    const LockoutPolicy& policy() const { return policy_; }

  private:
    struct Record {
        std::deque<Clock::time_point> failures;  // within the window, oldest first
        Clock::time_point locked_until{};
    };
    bool stale(const Record& record, Clock::time_point now) const;
    void make_room(Clock::time_point now);

    LockoutPolicy policy_;
    std::unordered_map<std::string, Record> by_address_;
};

}  // namespace ff::sip
