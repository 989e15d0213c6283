// The arithmetic of the operators' time, one place for both backends: each stretch clipped to the period.
#include <algorithm>

#include "store/operator_state_store.hpp"

namespace ff::store {

OperatorTime sum_operator_time(const std::vector<OperatorStateSpan>& spans, calls::TimePoint from,
                               calls::TimePoint until, calls::TimePoint now) {
    OperatorTime time;
    for (const auto& span : spans) {
        const auto start = std::max(span.from, from);
        const auto end = std::min({span.until.value_or(now), until, now});
        if (end <= start) continue;
        const double seconds = std::chrono::duration<double>(end - start).count();
        time.seconds[span.state] += seconds;
        if (span.state == "paused" && !span.reason.empty()) time.paused_by_reason[span.reason] += seconds;
    }
    return time;
}

calls::Result<OperatorTime> OperatorStateStore::operator_time(const std::string& extension, calls::TimePoint from,
                                                              calls::TimePoint until, calls::TimePoint now) {
    auto spans = select_operator_states(extension, from, until);
    if (!spans) return spans.error();
    return sum_operator_time(spans.value(), from, until, now);
}

}  // namespace ff::store
