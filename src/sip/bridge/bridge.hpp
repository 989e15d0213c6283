// One call as the back-to-back agent sees it: the customer's leg through the PBX and the operator's
// phone leg, joined by passing SDP between them. Turns Sofia-SIP's events into the decisions of
// bridge_decisions.hpp and their actions into SIP. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/call_control.hpp"
#include "calls/call_state_machine.hpp"
#include "calls/queue.hpp"
#include "sip/bridge/bridge_decisions.hpp"
#include "sip/bridge/call_admission.hpp"
#include "sip/bridge/call_media.hpp"
#include "sip/bridge/call_leg.hpp"
#include "sip/bridge/sdp_rewrite.hpp"
#include "sip/lines/line_plan.hpp"
#include "sip/stack/nua_event.hpp"

namespace ff::sip {

class DeviceRegistrar;
class QueueRouter;

// How a bridge reaches the call model; both run on other threads, so both complete later.
struct CallHooks {
    using Created = std::function<void(calls::Result<calls::Call>)>;
    // Creates the call in the registry with its customer looked up; `created` runs on the SIP thread.
    std::function<void(calls::Call, Created created)> admit;
    // Applies a transition; `done` (may be empty) gets the call after it, on another thread.
    std::function<void(const std::string& call_id, calls::Transition, calls::CallControl::Completion done)>
        apply;
    // With several instances (empty when alone): true when an inbound call to this extension, whose phone is
    // not registered here, is another instance's to take.
    std::function<bool(const std::string& extension)> leave_inbound_to_others;
    // BUSY_WHEN (empty: never): true when an inbound call to this extension is refused with 486 Busy Here.
    std::function<bool(const std::string& extension)> line_busy;
    // Queues: whether a member may be offered a caller now (their state is available; empty: never), and who
    // waits in a queue after each change.
    std::function<bool(const std::string& extension)> member_available;
    std::function<void(const std::string& queue, std::vector<calls::QueueCaller> callers)> queue_changed;
};

struct BridgeOptions {
    std::chrono::seconds phone_ring_timeout{30};  // an operator's phone that does not pick up (click-to-call)
    std::chrono::seconds customer_ring_timeout{60};  // a customer who does not pick up
    std::chrono::seconds dialog_probe_interval{30};  // in-dialog OPTIONS that find a vanished far end
    std::string dial_domain;                         // host part for numbers sent to the PBX (its address)
    // Where an inbound call's customer number is read, first found first: "pai", "rpid", "from" (CALLER_ID_ORDER).
    std::vector<std::string> caller_id_order{"pai", "rpid", "from"};
    // Where the number the customer dialled is read, first found first (DIALLED_NUMBER_ORDER), and the header
    // carrying the IVR choice (IVR_HEADER; empty: none).
    std::vector<std::string> dialled_number_order{"pcpid", "diversion", "history", "to", "ruri"};
    std::string ivr_header;
    CallAdmissionOptions admission;  // how many calls the service takes (CallBook)
};

struct BridgeContext {
    nua_t* nua;
    su_root_t* root;
    DeviceRegistrar& phones;
    std::function<std::optional<LineConfig>(const std::string& extension)> line;
    CallHooks hooks;
    BridgeOptions options;
    CallMediaContext media;  // rtpengine, or none (SDP passes through)
    QueueRouter* queues = nullptr;  // the service's queues (the CallBook's); null: none
};

class Bridge final : public NuaEventSink {
  public:
    using Completion = calls::CallControl::Completion;

    // The PBX offers a call to `line` (the INVITE on `handle`); with `queue`, the line is that queue's and the
    // caller waits for the members the queue offers it to.
    static std::unique_ptr<Bridge> inbound(BridgeContext& context, nua_handle_t* handle, const sip_t* invite,
                                           LineConfig line, std::optional<calls::QueueConfig> queue = std::nullopt);
    // An operator's phone places a call (already authenticated as `line`).
    static std::unique_ptr<Bridge> from_phone(BridgeContext& context, nua_handle_t* handle,
                                              const sip_t* invite, LineConfig line);
    // Click-to-call: the operator's phone first, then the customer (RFC 3725).
    // `ring_only`: the one device to ring (a browser phone's contact); empty: the extension's phones.
    static std::unique_ptr<Bridge> click_to_call(BridgeContext& context, calls::DialRequest request,
                                                 std::string number, std::string ring_only, LineConfig line,
                                                 Completion done);
    ~Bridge();
    Bridge(const Bridge&) = delete;
    Bridge& operator=(const Bridge&) = delete;

    void answer(Completion done);
    void hangup(Completion done);
    void hold(Completion done);
    void unhold(Completion done);
    CallMedia& media() { return *media_; }  // the call's media through rtpengine, for its counters
    void transfer(const std::string& target, Completion done);
    // Attended transfer: the customer holds while the operator's phone talks with `target`; then joined
    // (complete) or back to the customer.
    void consult(const std::string& target, Completion done);
    void settle_transfer(bool complete, Completion done);
    // A queued caller: ring these members now; or let go after the queue's maximum wait (to `overflow_number`
    // with a 302 when there is one).
    void queue_offer(std::vector<std::string> members);
    void queue_overdue(const std::string& overflow_number);

    const std::string& call_id() const { return call_.id; }
    // Every leg is gone and the call is reported ended: the bridge may be destroyed (not from its callback).
    bool finished() const;

    void on_nua_event(const NuaEvent& event) override;

  private:
    // What carrying out a decision may need besides the bridge's own legs.
    struct Carry {
        Carry() = default;
        explicit Carry(CallLeg* from) : leg(from) {}

        CallLeg* leg = nullptr;         // the leg the event came from
        std::unique_ptr<CallLeg> fork;  // a fork that gave its final answer, out of forks_
        Completion done;                // the command's completion
        std::string offer;              // a re-INVITE's (or an UPDATE's) SDP
        bool update = false;            // ... which came in an UPDATE
        std::string transfer_target;    // transfer_command
        calls::ErrorCode error_code = calls::ErrorCode::internal;  // refuse_dial: the call model's error
        std::string error_message;
    };

    Bridge(BridgeContext& context, BridgeFlow flow, LineConfig line);

    CallLeg* leg_of(nua_handle_t* handle);
    std::unique_ptr<CallLeg> new_leg(CallLeg::Side side, const std::string& target_uri,
                                     const std::string& from_uri);
    std::string customer_uri(const std::string& number) const;
    std::string line_uri() const;

    // Events in, actions out.
    BridgeDecision handle(const BridgeEvent& event);
    BridgeDecision handle(const BridgeEvent& event, Carry carry);
    void carry_out(const BridgeDecision& decision, Carry& carry);
    void carry_out(BridgeAction action, const BridgeDecision& decision, Carry& carry);
    BridgeEvent leg_event(BridgeEvent::Kind kind, BridgeLeg leg) const;

    // The flows' plumbing.
    void admit(calls::Call call);
    void on_admitted(calls::Result<calls::Call> created);
    void ring_phones(bool auto_answer);
    void on_fork_event(CallLeg& fork, const NuaEvent& event);
    void on_leg_event(CallLeg& leg, BridgeLeg role, const NuaEvent& event);
    void call_customer();
    void answer_with_music();
    void on_phone_refer(const NuaEvent& event);
    void transfer_by_new_leg(const std::string& uri, bool to_phone);
    void consult_by_new_leg();
    // A new leg to the transfer target, given up after the phones' ring time; false when none could be made.
    bool ring_target(const std::string& uri, bool to_phone, const std::string& from);
    void release(std::unique_ptr<CallLeg>& leg, int refusal = 480);
    // Which side of the media a leg is: the customer's leg, or the operator's (phone, fork, target).
    MediaParty party_of(const CallLeg* leg) const;
    // The SDP the bridge answers a leg with when nothing new came from the other side (an offerless
    // re-INVITE, a re-INVITE while a command is pending, hold): what was sent to it last.
    std::string current_sdp_for(const CallLeg* leg) const;
    bool ended() const { return state_.reported_end || state_.detached; }
    // Answers the UPDATE `leg` is waiting on without asking the other leg: 200 to a refresh, 200 with
    // current_sdp_for() to an offer, 488 when there is nothing to answer an offer with yet.
    void answer_update_here(CallLeg& leg);
    // The answer to the re-INVITE or UPDATE that was relayed from `leg`.
    void answer_relayed(CallLeg& leg, int status, const std::string& sdp = {});
    void offer_in_model(const std::vector<std::string>& extensions);

    // Transitions and endings.
    void report(calls::Transition change, Completion done = {});
    void end(calls::EndReason reason, Completion done = {});
    void release_all();
    void complete(Completion& done, calls::Result<calls::Call> result);
    void refuse(const Completion& done, calls::ErrorCode code, std::string message);

    void arm_timer(std::chrono::milliseconds delay, std::function<void()> action);
    void start_probes();
    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    BridgeContext& context_;
    BridgeState state_;
    LineConfig line_;
    calls::Call call_;

    std::unique_ptr<CallMedia> media_;  // every SDP between the legs goes through it
    std::optional<std::string> phones_offer_;  // inbound: the customer's offer made fit for the phones
    std::unique_ptr<CallLeg> customer_;               // through the PBX
    std::unique_ptr<CallLeg> phone_;                  // the operator's phone that answered
    std::vector<std::unique_ptr<CallLeg>> forks_;     // the phones still ringing
    std::unique_ptr<CallLeg> target_;                 // a transfer target while it rings
    std::vector<std::unique_ptr<CallLeg>> released_;  // hung up, waiting for their last event

    std::string phone_offer_;  // click-to-call: what the phone offered in its 200
    calls::DialRequest dial_;
    std::string dial_number_;  // the customer's number as the PBX receives it (DIAL_FORMAT)
    std::string ring_only_;    // click-to-call from a browser phone: its contact, the one device rung
    Completion dial_done_;
    Completion pending_done_;
    std::string transfer_target_;
    // Queued: the queue's line, its ring time per offer, the members rung now, which member each fork rings,
    // and whom the model was last told the call is offered to (empty: nobody yet, the call is the queue's).
    std::string queue_;
    std::chrono::seconds queue_ring_time_{15};
    std::vector<std::string> members_rung_;
    std::map<const CallLeg*, std::string> member_of_fork_;
    std::vector<std::string> offered_in_model_;
    CallLeg* relay_from_ = nullptr;  // the leg whose re-INVITE waits for the other leg's answer
    // Hold pressed on the phone while music plays: the direction the phone's answer gets (the customer's
    // stream stays two-way for the music).
    std::optional<MediaDirection> phone_hold_answer_;
    bool gave_up_ = false;           // legs that never finished are dropped after a grace time

    su_timer_t* timer_ = nullptr;
    std::function<void()> timer_action_;
    su_timer_t* probe_timer_ = nullptr;
};

}  // namespace ff::sip
