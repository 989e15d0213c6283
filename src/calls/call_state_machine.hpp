// The call state machine: which transitions each status allows and what each one changes. Pure, no I/O.
#pragma once

#include <string>
#include <variant>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::calls {

// What happened to a call, as reported by the SIP engine (or its simulator).
namespace transition {
struct Ringing {};  // the operator's phone is alerting (180); status stays ringing
struct Answered {
    TimePoint at;
};
struct Held {};
struct Unheld {};
struct TransferStarted {
    std::string target;
};
struct Reoffered {  // a transfer moved the call to another operator of the service
    std::string extension;
    TimePoint at;
};
// A queue rings members for a waiting caller. One member: the call is theirs while it rings (or back on the
// queue's line, when that is the one). Several (ringall): it stays where it is, offered to all of them.
struct Offered {
    std::vector<std::string> extensions;
    TimePoint at;
};
struct TransferFailed {};  // the transfer target refused, or the operator cancelled: back where it was
// Attended transfer: the customer holds while the operator calls `target`; then the target picks up.
struct ConsultStarted {
    std::string target;
    TimePoint at;
};
struct ConsultAnswered {
    TimePoint at;
};
struct RecordingSwitched {  // rtpengine started (on) or stopped (off) recording the call
    bool on;
};
// The caller pressed a key (RFC 4733, seen by rtpengine) while waiting for an operator: while the call rings,
// the keys make its IVR choice, unless the PBX passed one (IVR_HEADER).
struct KeyPressed {
    char key;  // 0-9, *, #, A-D
};
struct Ended {
    EndReason reason;
    TimePoint at;
    std::optional<MediaReport> media{};  // an anchored call's counters, read from rtpengine before the end
};
}  // namespace transition

using Transition = std::variant<transition::Ringing, transition::Answered, transition::Held, transition::Unheld,
                                transition::TransferStarted, transition::Reoffered, transition::Offered,
                                transition::TransferFailed, transition::ConsultStarted,
                                transition::ConsultAnswered, transition::RecordingSwitched, transition::KeyPressed,
                                transition::Ended>;

// What the operator or the API asks for; checked before anything is sent to SIP.
// complete_transfer and cancel_transfer settle an attended transfer (a consultation under way).
enum class CallAction { answer, hangup, hold, unhold, transfer, complete_transfer, cancel_transfer };

std::string_view to_string(CallAction action);

// Whether `action` makes sense for a call in `status` (409 otherwise).
bool allows(CallStatus status, CallAction action, Direction direction);

// Applies `change` to `call`; on error the call is left untouched and the message says why. The call's
// operator turns follow: an answer starts the current operator's talk time, a re-offer closes their turn
// (transferred to the new operator) and opens the next one's, the end closes the last turn (with the
// outside target when the call ended transferred). A recorded call's end leaves its recording processing
// (to be made into its file), or none when the call was never answered.
Status apply_transition(Call& call, const Transition& change);

}  // namespace ff::calls
