#include "calls/queue_stats.hpp"

#include <algorithm>

namespace ff::calls {
namespace {

double seconds_between(TimePoint from, TimePoint to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace

QueueStats summarize_queue_calls(const std::vector<QueueCallTimes>& calls, const QueueStatsOptions& options) {
    QueueStats stats;
    int served_in_time = 0;
    int waits = 0;
    double waited = 0;
    int handled = 0;
    double handling = 0;
    for (const auto& call : calls) {
        ++stats.offered;
        if (call.answered) {
            ++stats.answered;
            const double wait = seconds_between(call.start, *call.answered);
            if (wait <= static_cast<double>(options.service_level.count())) ++served_in_time;
            waited += wait;
            ++waits;
            stats.longest_wait_seconds = std::max(stats.longest_wait_seconds, wait);
            if (call.ended) {
                handling += seconds_between(*call.answered, *call.ended);
                ++handled;
            }
            continue;
        }
        if (!call.ended) {
            ++stats.waiting;
            continue;
        }
        const double wait = seconds_between(call.start, *call.ended);
        if (wait < static_cast<double>(options.short_abandon.count())) {
            ++stats.short_abandoned;
            continue;
        }
        ++stats.abandoned;
        waited += wait;
        ++waits;
        stats.longest_wait_seconds = std::max(stats.longest_wait_seconds, wait);
    }
    const int counted = stats.offered - stats.short_abandoned - stats.waiting;
    if (counted > 0) stats.service_level = static_cast<double>(served_in_time) / counted;
    if (waits > 0) stats.average_wait_seconds = waited / waits;
    if (handled > 0) stats.average_handle_seconds = handling / handled;
    return stats;
}

}  // namespace ff::calls
