// Events of the call model; the stream, the call log and later Redis all subscribe to them.
#pragma once

#include <string_view>
#include <variant>

#include "calls/call.hpp"
#include "calls/callback_list.hpp"
#include "calls/operator_status.hpp"
#include "calls/queue.hpp"
#include "calls/telephony_status.hpp"

namespace ff::calls {

enum class CallEventKind { created, ringing, answered, held, unheld, transferred, ended, updated };

// Socket.IO event name of each kind, as the seed names them ("call:new" ...).
std::string_view event_name(CallEventKind kind);

struct CallEvent {
    CallEventKind kind;
    Call call;  // snapshot after the change
    std::string previous_extension;  // set when a transfer moved the call to another operator
    std::vector<std::string> offered_before{};  // members a queue rang for it until this change (they hear of it)
    bool recording_settled = false;  // `updated` because the call's recording became ready or failed
};

// sip:connected / sip:disconnected, and the state of one line changing.
struct TelephonyEvent {
    enum class Kind { connected, disconnected, line_changed } kind;
    TelephonyStatus status;
    LineState line;  // for line_changed
};

// callback:missed: a number entered the callback list, or called in vain once more while on it;
// callback:resolved: an answered call connected with it (calls/callback_list.hpp).
struct CallbackEvent {
    enum class Kind { missed, resolved } kind;
    Callback callback;
};

// queue:state: who waits in a queue now, in order, and whom each one's offer rings (calls/queue_dispatcher.hpp).
struct QueueEvent {
    std::string queue;  // the queue's line
    std::vector<QueueCaller> callers;
};

// operator:reasons: the admin changed the reasons an operator may pause for.
struct PauseReasonsEvent {
    std::vector<std::string> reasons;
};

// operator:state: an operator's state changed (calls/operator_board.hpp).
using Event = std::variant<CallEvent, TelephonyEvent, OperatorEvent, CallbackEvent, QueueEvent, PauseReasonsEvent>;

}  // namespace ff::calls
