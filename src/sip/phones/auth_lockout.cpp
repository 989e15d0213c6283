// A sliding window of failure times per address, and a lock-out deadline.
#include "sip/phones/auth_lockout.hpp"

#include <algorithm>

namespace ff::sip {

bool AuthLockout::locked(const std::string& address, Clock::time_point now) const {
    auto found = by_address_.find(address);
    return found != by_address_.end() && now < found->second.locked_until;
}

int AuthLockout::failures(const std::string& address, Clock::time_point now) const {
    auto found = by_address_.find(address);
    if (found == by_address_.end()) return 0;
    const auto since = now - policy_.window;
    return static_cast<int>(std::count_if(found->second.failures.begin(), found->second.failures.end(),
                                          [since](Clock::time_point at) { return at > since; }));
}

bool AuthLockout::record_failure(const std::string& address, Clock::time_point now) {
    if (by_address_.find(address) == by_address_.end()) make_room(now);
    auto& record = by_address_[address];
    if (now < record.locked_until) return false;  // already refused; the lock-out is not extended
    record.failures.push_back(now);
    const auto since = now - policy_.window;
    while (!record.failures.empty() && record.failures.front() <= since) record.failures.pop_front();
    // Lock-out off: the failures are still counted (they slow the address down), only never too many.
    if (policy_.failures_before_lockout <= 0) {
        while (record.failures.size() > policy_.max_counted_without_lockout) record.failures.pop_front();
        return false;
    }
    if (static_cast<int>(record.failures.size()) < policy_.failures_before_lockout) return false;
    record.failures.clear();
    record.locked_until = now + policy_.lockout;
    return true;
}

bool AuthLockout::stale(const Record& record, Clock::time_point now) const {
    return now >= record.locked_until &&
           (record.failures.empty() || record.failures.back() <= now - policy_.window);
}

void AuthLockout::make_room(Clock::time_point now) {
    if (by_address_.size() < policy_.max_tracked_addresses) return;
    std::erase_if(by_address_, [&](const auto& entry) { return stale(entry.second, now); });
    if (by_address_.size() < policy_.max_tracked_addresses) return;
    // Still full of live records: forget the one whose last failure is oldest (never a locked-out one while
    // another is only counting).
    auto oldest = by_address_.end();
    for (auto it = by_address_.begin(); it != by_address_.end(); ++it) {
        const auto& record = it->second;
        if (now < record.locked_until) continue;
        if (oldest == by_address_.end() || record.failures.back() < oldest->second.failures.back())
            oldest = it;
    }
    if (oldest != by_address_.end()) by_address_.erase(oldest);
}

}  // namespace ff::sip
