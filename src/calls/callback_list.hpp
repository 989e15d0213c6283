// The callback list: every customer whose call no operator answered, until an answered call connects the
// centre with that number again (either way: an operator called back, or the customer got through). It is a
// view of the call log, not a table of its own, so whatever the log keeps (its spool through a database
// outage, calls of every instance on a shared database) the list keeps too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calls/call.hpp"

namespace ff::calls {

// What the list needs of one logged call.
struct CallbackContact {
    std::string call_id;
    Direction direction = Direction::inbound;
    std::string phone;      // the customer's side: the caller of an inbound call, the callee of an outbound one
    std::string extension;  // the operator who had the call last
    TimePoint start{};
    std::optional<TimePoint> answered;
    std::optional<TimePoint> ended;
    EndReason end_reason = EndReason::none;
    std::optional<Customer> customer;

    // An inbound call that ended without any operator answering it: missed, refused busy, rejected, given
    // up by the caller while it rang, failed. A call transferred away before an answer went on elsewhere.
    bool unanswered() const;
    bool connected() const { return answered.has_value(); }
};

enum class CallbackStatus { waiting, called_back, called_again };

std::string_view to_string(CallbackStatus status);  // "waiting", "calledBack", "calledAgain"
std::optional<CallbackStatus> parse_callback_status(std::string_view text);

// One number's unanswered calls in a row, and what ended them: its entry in the list while waiting.
struct Callback {
    std::string phone;
    std::optional<Customer> customer;  // the latest known, from any of its calls
    int attempts = 0;                  // unanswered calls in a row
    TimePoint first_missed{};          // when the first of them ended: the customer waits since then
    TimePoint last_missed{};
    std::string last_call_id;
    EndReason last_reason = EndReason::none;
    CallbackStatus status = CallbackStatus::waiting;
    std::optional<TimePoint> resolved_at;  // when the connecting call was answered
    std::string resolved_by;               // the operator on that call
    std::string resolved_call_id;
};

// A colleague's extension rather than a customer: up to 6 characters without a leading "+" (E.164 numbers,
// which the service makes of every number it can parse, are longer). Such calls never enter the list.
bool is_internal_number(std::string_view phone);

// The entries the contacts make, in any order given: for each number, each run of unanswered calls that
// ends at the next answered call with that number (or is still waiting). Oldest first.
std::vector<Callback> build_callbacks(std::vector<CallbackContact> contacts);

// The callback figures of the entries that began (their first unanswered call) within [from, until).
struct CallbackStats {
    int missed_callers = 0;  // entries: a number that called in vain, once or several times in a row
    int called_back = 0;     // of them, an operator's call to the number was answered
    int called_again = 0;    // the customer called again and got through before anyone called back
    int waiting = 0;         // nothing connected yet
    std::optional<double> median_seconds_to_call_back;  // first unanswered call to the answered call back
    std::optional<TimePoint> oldest_waiting;             // the longest wait still open
};

CallbackStats summarize_callbacks(const std::vector<Callback>& callbacks, TimePoint from, TimePoint until);

}  // namespace ff::calls
