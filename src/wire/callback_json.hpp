// JSON form of the callback list's entries and figures, for GET /api/callbacks and the callback:* events.
#pragma once

#include <nlohmann/json.hpp>

#include "calls/callback_list.hpp"

namespace ff::wire {

// {phone, customer, attempts, firstMissedAt, lastMissedAt, lastCallId, lastReason, status, waitingSeconds,
// resolvedAt, resolvedBy, resolvedCallId}: status "waiting" | "calledBack" | "calledAgain"; waitingSeconds
// from the first unanswered call to `now` while waiting, to the answer that ended the wait after; the
// resolved* fields null while waiting.
nlohmann::json to_json(const calls::Callback& callback, calls::TimePoint now);

// {missedCallers, calledBack, calledAgain, waiting, calledBackRate, medianSecondsToCallBack, oldestWaitingSince}
nlohmann::json to_json(const calls::CallbackStats& stats);

}  // namespace ff::wire
