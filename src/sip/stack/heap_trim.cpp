// malloc_trim(0) walks every arena and returns each whole free page: a few milliseconds at most for the
// heap of thousands of calls, on the SIP thread, every few seconds while calls change.
#include "sip/stack/heap_trim.hpp"

#include <malloc.h>

namespace ff::sip {

HeapTrim::HeapTrim(std::chrono::milliseconds interval, std::chrono::milliseconds linger)
    : interval_(interval), linger_(linger) {}

void HeapTrim::activity(Clock::time_point now) {
    last_activity_ = now;
    active_ = true;
}

bool HeapTrim::tick(Clock::time_point now) {
    if (!active_ || now - last_trim_ < interval_) return false;
    if (now - last_activity_ > linger_) active_ = false;  // this trim is the last until calls change again
    last_trim_ = now;
    malloc_trim(0);
    return true;
}

}  // namespace ff::sip
