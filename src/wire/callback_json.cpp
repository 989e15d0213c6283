#include "wire/callback_json.hpp"

#include <algorithm>
#include <cmath>

#include "wire/call_json.hpp"

namespace ff::wire {
namespace {

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json time_or_null(const std::optional<calls::TimePoint>& time) {
    return time ? nlohmann::json(format_time(*time)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const calls::Callback& callback, calls::TimePoint now) {
    const auto waited_until = callback.resolved_at.value_or(now);
    return nlohmann::json{
        {"phone", callback.phone},
        {"customer", callback.customer ? to_json(*callback.customer) : nlohmann::json(nullptr)},
        {"attempts", callback.attempts},
        {"firstMissedAt", format_time(callback.first_missed)},
        {"lastMissedAt", format_time(callback.last_missed)},
        {"lastCallId", callback.last_call_id},
        {"lastReason", calls::to_string(callback.last_reason)},
        {"status", calls::to_string(callback.status)},
        {"waitingSeconds",
         std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(waited_until - callback.first_missed).count())},
        {"resolvedAt", time_or_null(callback.resolved_at)},
        {"resolvedBy", text_or_null(callback.resolved_by)},
        {"resolvedCallId", text_or_null(callback.resolved_call_id)},
    };
}

nlohmann::json to_json(const calls::CallbackStats& stats) {
    const double rate = stats.missed_callers > 0 ? static_cast<double>(stats.called_back) / stats.missed_callers : 0.0;
    return nlohmann::json{
        {"missedCallers", stats.missed_callers},
        {"calledBack", stats.called_back},
        {"calledAgain", stats.called_again},
        {"waiting", stats.waiting},
        // A share (0..1) rounded so that clients print it as they get it; whole seconds.
        {"calledBackRate", std::round(rate * 10000.0) / 10000.0},
        {"medianSecondsToCallBack", stats.median_seconds_to_call_back
                                        ? nlohmann::json(std::lround(*stats.median_seconds_to_call_back))
                                        : nlohmann::json(nullptr)},
        {"oldestWaitingSince", time_or_null(stats.oldest_waiting)},
    };
}

}  // namespace ff::wire
