// What the instances say to each other through Redis, as JSON text: events, control requests and replies.
#pragma once

#include <optional>
#include <string>

#include "calls/call_control.hpp"
#include "calls/call_link.hpp"
#include "calls/events.hpp"
#include "calls/operator_status.hpp"
#include "calls/recording_router.hpp"
#include "calls/result.hpp"

namespace ff::cluster {

// On the events channel. A "resync" asks the others to read the sender's calls and lines afresh; "settings"
// says the sender saved PBX settings or users, which the others read again from the shared database.
// An operator's own choice (available, or paused with a reason), made at one instance: every instance's board
// holds it, so that each one refuses the operator's calls (BUSY_WHEN) and shows them alike.
struct OperatorChoice {
    std::string extension;
    calls::OperatorState state = calls::OperatorState::available;
    std::string reason;  // paused
};

// "operator" carries an operator's choice (also kept in Redis for instances that start later).
struct EventMessage {
    std::string origin;  // instance id of the sender
    enum class Type { call, line, resync, settings, operator_choice } type = Type::call;
    calls::CallEvent call_event{};  // type call
    calls::LineState line;          // type line
    OperatorChoice choice;          // type operator_choice
};

// Each encoded event message begins with origin_prefix(origin): an instance passes over its own messages
// (Redis hands every subscriber all of them) without parsing them.
std::string origin_prefix(const std::string& origin);
std::string encode_call_event(const std::string& origin, const calls::CallEvent& event);
// What a call event writes to Redis, from one encoding of the call: the call's shared entry (encode_owned_call;
// empty once the call is over) and the event message (encode_call_event).
struct EncodedCallEvent {
    std::string owned_call;
    std::string event;
};
EncodedCallEvent encode_call_event_with_entry(const std::string& origin, const calls::CallEvent& event);
std::string encode_line(const std::string& origin, const calls::LineState& line);
std::string encode_resync(const std::string& origin);
std::string encode_settings_saved(const std::string& origin);
std::string encode_operator_choice(const std::string& origin, const OperatorChoice& choice);
calls::Result<EventMessage> decode_event(const std::string& text);

// A call button pressed, or a customer, order or note linked, on one instance for a call another instance owns.
struct ControlRequest {
    std::string request_id;
    std::string reply_to;  // instance id waiting for the answer
    enum class Action {
        answer, hangup, hold, unhold, transfer, consult, complete_transfer, cancel_transfer,
        dial, link, media, record_start, record_stop, recording
    }
        action = Action::hangup;
    std::string call_id;              // all but dial
    std::string target;               // transfer, consult; recording: the Range header (empty: the whole file)
    calls::DialRequest dial;          // dial
    calls::CallLink link;             // link
    // When the requester stops waiting for the answer (its wall clock, ms since the epoch; 0: never). An owner
    // that reads the request later (it was stopped or overloaded) drops it: the requester already answered 504,
    // and a hold or a hang-up done now would contradict what the operator was told.
    std::int64_t expires_at_ms = 0;
};

std::string encode_control(const ControlRequest& request);
std::string control_action_name(ControlRequest::Action action);  // "hold", "dial" ...
calls::Result<ControlRequest> decode_control(const std::string& text);

struct ControlReply {
    std::string request_id;
    calls::Result<calls::Call> result = calls::make_error(calls::ErrorCode::internal, "no result");
    std::optional<calls::RecordingBytes> recording;  // the answer to a recording request, when not an error
};

std::string encode_reply(const ControlReply& reply);
calls::Result<ControlReply> decode_reply(const std::string& text);

// The entry of one call in the shared ff:calls hash: its owner and its API JSON.
std::string encode_owned_call(const std::string& owner, const calls::Call& call);
struct OwnedCall {
    std::string owner;
    calls::Call call;
};
calls::Result<OwnedCall> decode_owned_call(const std::string& text);

}  // namespace ff::cluster
