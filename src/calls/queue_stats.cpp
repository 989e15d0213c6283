#include "calls/queue_stats.hpp"

#include <algorithm>

namespace ff::calls {
namespace {

double seconds_between(TimePoint from, TimePoint to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace

QueueOutcome queue_outcome(const QueueCallTimes& call, const QueueStatsOptions& options) {
    if (call.answered) {
        const double wait = seconds_between(call.start, *call.answered);
        return wait <= static_cast<double>(options.service_level.count()) ? QueueOutcome::served_in_time
                                                                         : QueueOutcome::served_late;
    }
    if (!call.ended) return QueueOutcome::waiting;
    const double wait = seconds_between(call.start, *call.ended);
    return wait < static_cast<double>(options.short_abandon.count()) ? QueueOutcome::short_abandoned
                                                                    : QueueOutcome::abandoned;
}

std::string_view to_string(QueueOutcome outcome) {
    switch (outcome) {
        case QueueOutcome::served_in_time: return "served_in_time";
        case QueueOutcome::served_late: return "served_late";
        case QueueOutcome::abandoned: return "abandoned";
        case QueueOutcome::short_abandoned: return "short_abandoned";
        case QueueOutcome::waiting: return "waiting";
    }
    return "waiting";
}

QueueStats summarize_queue_calls(const std::vector<QueueCallTimes>& calls, const QueueStatsOptions& options) {
    QueueStats stats;
    int served_in_time = 0;
    int waits = 0;
    double waited = 0;
    int handled = 0;
    double handling = 0;
    for (const auto& call : calls) {
        ++stats.offered;
        const QueueOutcome outcome = queue_outcome(call, options);
        switch (outcome) {
            case QueueOutcome::served_in_time:
            case QueueOutcome::served_late: {
                ++stats.answered;
                if (outcome == QueueOutcome::served_in_time) ++served_in_time;
                const double wait = seconds_between(call.start, *call.answered);
                waited += wait;
                ++waits;
                stats.longest_wait_seconds = std::max(stats.longest_wait_seconds, wait);
                if (call.ended) {
                    handling += seconds_between(*call.answered, *call.ended);
                    ++handled;
                }
                break;
            }
            case QueueOutcome::waiting: ++stats.waiting; break;
            case QueueOutcome::short_abandoned: ++stats.short_abandoned; break;
            case QueueOutcome::abandoned: {
                ++stats.abandoned;
                const double wait = seconds_between(call.start, *call.ended);
                waited += wait;
                ++waits;
                stats.longest_wait_seconds = std::max(stats.longest_wait_seconds, wait);
                break;
            }
        }
    }
    const int counted = stats.offered - stats.short_abandoned - stats.waiting;
    if (counted > 0) stats.service_level = static_cast<double>(served_in_time) / counted;
    if (waits > 0) stats.average_wait_seconds = waited / waits;
    if (handled > 0) stats.average_handle_seconds = handling / handled;
    return stats;
}

}  // namespace ff::calls
