// Transition rules of a call. Every status change of every call passes through apply_transition.
#include "calls/call_state_machine.hpp"

#include <algorithm>
#include <string_view>
#include <type_traits>

namespace ff::calls {
namespace {

Error not_allowed(const Call& call, std::string_view what) {
    return make_error(ErrorCode::invalid_state, std::string(what) + " is not possible for a call that is " +
                                                    std::string(to_string(call.status)));
}

// Which end reasons fit the status the call ends from: a call never answered cannot be "completed".
bool reason_fits(CallStatus from, EndReason reason) {
    switch (from) {
        case CallStatus::ringing:
            return reason == EndReason::missed || reason == EndReason::busy || reason == EndReason::rejected ||
                   reason == EndReason::failed || reason == EndReason::cancelled;
        case CallStatus::answered:
        case CallStatus::held:
            return reason == EndReason::completed || reason == EndReason::failed ||
                   reason == EndReason::transferred;
        case CallStatus::transferred:
            return reason == EndReason::transferred || reason == EndReason::failed ||
                   reason == EndReason::completed;
        case CallStatus::ended:
            return false;
    }
    return false;
}

// A transfer of either kind starts: only from a conversation, to somewhere.
Status start_transfer(Call& call, const std::string& target, std::string_view what) {
    if (call.status != CallStatus::answered && call.status != CallStatus::held) return not_allowed(call, what);
    if (target.empty()) return make_error(ErrorCode::invalid_argument, "transfer target is empty");
    call.transfer_target = target;
    call.status = CallStatus::transferred;
    return Done{};
}

// A key the caller pressed while the call rings adds to its IVR choice. Long enough for a menu path or an
// order number; a caller who keeps pressing after that changes nothing more.
Status press_key(Call& call, char key) {
    constexpr std::size_t longest_choice = 16;
    constexpr std::string_view keys = "0123456789*#ABCD";
    if (keys.find(key) == std::string_view::npos)
        return make_error(ErrorCode::invalid_argument, "a key must be one of " + std::string(keys));
    if (call.direction != Direction::inbound || call.status != CallStatus::ringing)
        return not_allowed(call, "an IVR key");
    if (!call.ivr_choice.empty() && !call.ivr_choice_pressed)
        return make_error(ErrorCode::invalid_state, "the PBX passed the IVR choice of this call");
    if (call.ivr_choice.size() >= longest_choice)
        return make_error(ErrorCode::invalid_state, "the IVR choice is " + std::to_string(longest_choice) + " keys at most");
    call.ivr_choice.push_back(key);
    call.ivr_choice_pressed = true;
    return Done{};
}

}  // namespace

std::string_view to_string(CallAction action) {
    switch (action) {
        case CallAction::answer: return "answer";
        case CallAction::hangup: return "hangup";
        case CallAction::hold: return "hold";
        case CallAction::unhold: return "unhold";
        case CallAction::transfer: return "transfer";
        case CallAction::complete_transfer: return "complete the transfer of";
        case CallAction::cancel_transfer: return "cancel the transfer of";
    }
    return "unknown";
}

bool allows(CallStatus status, CallAction action, Direction direction) {
    switch (action) {
        case CallAction::answer: return status == CallStatus::ringing && direction == Direction::inbound;
        case CallAction::hangup: return status != CallStatus::ended;
        case CallAction::hold: return status == CallStatus::answered;
        case CallAction::unhold: return status == CallStatus::held;
        case CallAction::transfer: return status == CallStatus::answered || status == CallStatus::held;
        // Whether a consultation is under way is the call's, not its status's: checked by the caller.
        case CallAction::complete_transfer:
        case CallAction::cancel_transfer: return status == CallStatus::transferred;
    }
    return false;
}

Status apply_transition(Call& call, const Transition& change) {
    return std::visit(
        [&call](const auto& event) -> Status {
            using T = std::decay_t<decltype(event)>;
            if constexpr (std::is_same_v<T, transition::Ringing>) {
                if (call.status != CallStatus::ringing) return not_allowed(call, "ringing");
            } else if constexpr (std::is_same_v<T, transition::Answered>) {
                // A transferred call is answered again by the operator it was moved to.
                if (call.status != CallStatus::ringing && call.status != CallStatus::transferred)
                    return not_allowed(call, "answering");
                if (!call.answer_time) call.answer_time = event.at;
                call.status = CallStatus::answered;
                call.offered_to.clear();
                if (OperatorTurn* turn = call.current_turn(); turn && !turn->answered_at) turn->answered_at = event.at;
            } else if constexpr (std::is_same_v<T, transition::Held>) {
                if (call.status != CallStatus::answered) return not_allowed(call, "holding");
                call.status = CallStatus::held;
            } else if constexpr (std::is_same_v<T, transition::Unheld>) {
                if (call.status != CallStatus::held) return not_allowed(call, "taking off hold");
                call.status = CallStatus::answered;
            } else if constexpr (std::is_same_v<T, transition::TransferStarted>) {
                return start_transfer(call, event.target, "transferring");
            } else if constexpr (std::is_same_v<T, transition::Reoffered>) {
                if (call.status != CallStatus::transferred) return not_allowed(call, "re-offering");
                if (event.extension.empty()) return make_error(ErrorCode::invalid_argument, "extension is empty");
                if (OperatorTurn* turn = call.current_turn()) {
                    turn->until = event.at;
                    turn->transferred_to = event.extension;
                }
                call.extension = event.extension;
                call.consultation.reset();
                call.operators.push_back(OperatorTurn{event.extension, event.at, std::nullopt, std::nullopt, {}});
            } else if constexpr (std::is_same_v<T, transition::Offered>) {
                if (call.status != CallStatus::ringing) return not_allowed(call, "offering to a queue member");
                if (event.extensions.empty() ||
                    std::any_of(event.extensions.begin(), event.extensions.end(), [](const auto& e) { return e.empty(); }))
                    return make_error(ErrorCode::invalid_argument, "an extension offered is empty");
                call.offered_to.clear();
                if (event.extensions.size() > 1) {
                    call.offered_to = event.extensions;
                    return Done{};
                }
                const std::string& extension = event.extensions.front();
                if (extension == call.extension) return Done{};
                // The turn of whoever had it before (the queue's line, or a member who did not answer) ends
                // unanswered; the member's begins.
                if (OperatorTurn* turn = call.current_turn()) turn->until = event.at;
                call.extension = extension;
                call.operators.push_back(OperatorTurn{extension, event.at, std::nullopt, std::nullopt, {}});
            } else if constexpr (std::is_same_v<T, transition::TransferFailed>) {
                if (call.status != CallStatus::transferred) return not_allowed(call, "failing a transfer");
                call.status = CallStatus::answered;
                call.consultation.reset();
            } else if constexpr (std::is_same_v<T, transition::ConsultStarted>) {
                if (auto started = start_transfer(call, event.target, "consulting a transfer target"); !started)
                    return started;
                call.consultation = Consultation{event.target, event.at, std::nullopt};
            } else if constexpr (std::is_same_v<T, transition::ConsultAnswered>) {
                if (call.status != CallStatus::transferred || !call.consultation)
                    return not_allowed(call, "answering a consultation");
                if (!call.consultation->answered_at) call.consultation->answered_at = event.at;
            } else if constexpr (std::is_same_v<T, transition::RecordingSwitched>) {
                if (call.status == CallStatus::ended) return not_allowed(call, "recording");
                if (event.on) {
                    call.recording = Recording{};
                } else if (call.recording) {
                    call.recording->status = RecordingStatus::paused;
                }
            } else if constexpr (std::is_same_v<T, transition::KeyPressed>) {
                return press_key(call, event.key);
            } else if constexpr (std::is_same_v<T, transition::Ended>) {
                if (call.status == CallStatus::ended) return not_allowed(call, "ending");
                if (!reason_fits(call.status, event.reason))
                    return make_error(ErrorCode::invalid_state,
                                      "a call that is " + std::string(to_string(call.status)) +
                                          " cannot end as " + std::string(to_string(event.reason)));
                if (OperatorTurn* turn = call.current_turn()) {
                    turn->until = event.at;
                    if (event.reason == EndReason::transferred) turn->transferred_to = call.transfer_target;
                }
                call.status = CallStatus::ended;
                call.consultation.reset();
                call.end_reason = event.reason;
                call.end_time = event.at;
                if (event.media) {
                    call.media = event.media;
                    call.media->assess(call.answer_time.has_value());
                }
                // A call nobody answered has no conversation to keep: its capture is dropped.
                if (call.recording && call.answer_time) {
                    call.recording = Recording{RecordingStatus::processing, 0, 0, {}, {}};
                } else {
                    call.recording.reset();
                }
            }
            return Done{};
        },
        change);
}

}  // namespace ff::calls
