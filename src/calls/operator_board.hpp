// What each operator is doing now, as the call centre sees it: available, paused (with a reason), in wrap-up
// after a call, on a call, or offline (no phone registered and no browser phone). The operator chooses between
// available and paused; the rest follows from the calls and the phones. Thread-safe: inputs come from the
// event bus and the API, reads from anywhere.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "calls/call.hpp"
#include "calls/events.hpp"
#include "calls/operator_status.hpp"
#include "calls/result.hpp"

namespace ff::calls {

struct OperatorBoardOptions {
    std::chrono::seconds wrapup{0};  // WRAPUP_SECONDS: after-call work before available again; 0: none
    // BUSY_WHEN: the states in which an inbound call to the operator's line is refused as busy.
    std::set<OperatorState> busy_when{OperatorState::paused, OperatorState::wrapup, OperatorState::oncall};
    std::vector<std::string> pause_reasons;  // PAUSE_REASONS, or as the settings page saved them
};

class OperatorBoard {
  public:
    using Publish = std::function<void(const OperatorStatus&)>;

    // `publish` hears every change of an operator's state (on the thread of the input that caused it).
    OperatorBoard(OperatorBoardOptions options, Publish publish);

    // Call events (on a call, wrap-up after it) and line changes (a phone registered or not).
    void on_event(const Event& event, TimePoint now);
    // The operator's own choice: available, or paused with one of the pause reasons. Other states are not
    // chosen (invalid_argument); the choice holds under the states that follow from calls and phones.
    Result<OperatorStatus> choose(const std::string& extension, OperatorState wanted, const std::string& reason,
                                  TimePoint now);
    // Ends the wrap-ups due by `now`; the next one due, if any.
    std::optional<TimePoint> tick(TimePoint now);

    std::vector<OperatorStatus> all() const;
    OperatorStatus of(const std::string& extension) const;
    // True when an inbound call to this operator's line must be refused as busy (BUSY_WHEN).
    bool refuses_calls(const std::string& extension) const;
    // WRAPUP_SECONDS and BUSY_WHEN, fixed at start-up.
    std::chrono::seconds wrapup() const { return options_.wrapup; }
    const std::set<OperatorState>& busy_when() const { return options_.busy_when; }
    // The reasons a pause may give, which the admin may change while the service runs (operators already
    // paused keep theirs).
    std::vector<std::string> pause_reasons() const;
    void set_pause_reasons(std::vector<std::string> reasons);

  private:
    struct Operator {
        bool paused = false;
        std::string reason;
        bool has_phone = false;
        std::set<std::string> calls;  // answered calls not ended yet
        std::optional<TimePoint> wrapup_until;
        OperatorStatus shown;
    };

    OperatorState state_of(const Operator& op, TimePoint now) const;
    // Recomputes the operator's state; the change to publish, if any.
    std::optional<OperatorStatus> settle(const std::string& extension, Operator& op, TimePoint now);
    void on_call(const CallEvent& event, TimePoint now, std::vector<OperatorStatus>& changes);

    OperatorBoardOptions options_;
    Publish publish_;
    mutable std::mutex mutex_;
    std::map<std::string, Operator> operators_;
    std::map<std::string, std::string> answered_;  // call id -> the extension whose call it is
};

}  // namespace ff::calls
