// A queue's figures over a period, from the calls its line took (pure; both storage backends read the calls).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "calls/call.hpp"

namespace ff::calls {

// What the figures need of one call to the queue's line.
struct QueueCallTimes {
    TimePoint start{};
    std::optional<TimePoint> answered;
    std::optional<TimePoint> ended;
};

struct QueueStatsOptions {
    std::chrono::seconds short_abandon{5};   // QUEUE_SHORT_ABANDON_SECONDS: gave up sooner: counted apart
    std::chrono::seconds service_level{20};  // QUEUE_SERVICE_LEVEL_SECONDS: answered within it counts as served
};

struct QueueStats {
    int offered = 0;          // calls to the queue
    int answered = 0;
    int abandoned = 0;        // ended unanswered after short_abandon or longer
    int short_abandoned = 0;  // ended unanswered sooner (a wrong number, a caller who changed their mind)
    int waiting = 0;          // still ringing
    // Answered within service_level, of the calls offered less the short abandons (0..1); none without calls.
    std::optional<double> service_level;
    double average_wait_seconds = 0;  // until answered, or until given up, over answered and abandoned calls
    double longest_wait_seconds = 0;
    double average_handle_seconds = 0;  // talk time of the answered calls that ended
};

QueueStats summarize_queue_calls(const std::vector<QueueCallTimes>& calls, const QueueStatsOptions& options);

// What became of one call to a queue, as the figures count it.
enum class QueueOutcome {
    served_in_time,   // answered within service_level
    served_late,      // answered after it
    abandoned,        // ended unanswered after short_abandon or longer
    short_abandoned,  // ended unanswered sooner: left out of the service level
    waiting,          // still ringing
};

QueueOutcome queue_outcome(const QueueCallTimes& call, const QueueStatsOptions& options);
std::string_view to_string(QueueOutcome outcome);

}  // namespace ff::calls
