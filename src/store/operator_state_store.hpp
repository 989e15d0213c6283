// Persistence of the operators' states over time, for the time each operator spent available, paused (by
// reason), in wrap-up, on calls and offline.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calls/operator_status.hpp"
#include "calls/result.hpp"

namespace ff::store {

// One stretch of one state: from `from` until `until` (none: still going).
struct OperatorStateSpan {
    std::string extension;
    std::string state;   // calls::to_string(OperatorState)
    std::string reason;  // paused: why
    calls::TimePoint from{};
    std::optional<calls::TimePoint> until;
};

// Seconds in each state within a period; paused split by reason as well.
struct OperatorTime {
    std::map<std::string, double> seconds;            // "available", "paused", "wrapup", "oncall", "offline"
    std::map<std::string, double> paused_by_reason;   // "обед" -> seconds
};

// The sum of the spans' overlap with [from, until), an open span counted up to `now` (shared by both backends).
OperatorTime sum_operator_time(const std::vector<OperatorStateSpan>& spans, calls::TimePoint from,
                               calls::TimePoint until, calls::TimePoint now);

class OperatorStateStore {
  public:
    virtual ~OperatorStateStore() = default;
    // The operator is in `status.state` from `status.since` on; the stretch before it ends there.
    virtual calls::Status record_operator_state(const calls::OperatorStatus& status) = 0;
    // Stretches left open by a service that stopped end at `at` (start-up: nothing is known of the time between).
    virtual calls::Status close_operator_states(calls::TimePoint at) = 0;
    // The operator's time in each state within [from, until), up to `now`.
    calls::Result<OperatorTime> operator_time(const std::string& extension, calls::TimePoint from,
                                              calls::TimePoint until, calls::TimePoint now);

  protected:
    // The stretches of the operator that overlap [from, until).
    virtual calls::Result<std::vector<OperatorStateSpan>> select_operator_states(const std::string& extension,
                                                                                 calls::TimePoint from,
                                                                                 calls::TimePoint until) = 0;
};

}  // namespace ff::store
