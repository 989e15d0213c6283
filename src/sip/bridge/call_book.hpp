// Every bridged call of the service, by call id: new INVITEs become bridges, API commands find theirs,
// finished bridges are dropped. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "calls/operator_status.hpp"
#include "sip/bridge/bridge.hpp"
#include "sip/queues/queue_router.hpp"
#include "sip/stack/heap_trim.hpp"

namespace ff::sip {

class CallBook {
  public:
    using Completion = calls::CallControl::Completion;

    explicit CallBook(BridgeContext context);
    ~CallBook();
    CallBook(const CallBook&) = delete;
    CallBook& operator=(const CallBook&) = delete;

    // An INVITE outside any dialog, on a handle the stack made: the PBX calling a line, or a phone placing
    // a call. Takes the handle over, or refuses the INVITE (the handle then ends by itself).
    void on_invite(const NuaEvent& event);

    // How late the SIP thread serves what reaches it now (DelayProbe); true while new calls are shed for it.
    bool observe_delay(std::chrono::milliseconds delay);

    // Click-to-call; `number` is the destination as the PBX must receive it. `ring_only`: the contact of the
    // one device to ring (a browser phone), empty for every phone of the extension.
    void dial(calls::DialRequest request, const std::string& number, const std::string& ring_only,
              Completion done);
    // Runs `command` on the call's bridge, or answers "no such call".
    void with_call(const std::string& call_id, const Completion& done,
                   const std::function<void(Bridge&)>& command);

    // Ends every call (service shutdown). Legs whose far end has not confirmed within `grace` are dropped
    // without waiting any longer: Sofia's shutdown would otherwise wait ~30 s for each open transaction.
    void hang_up_all(std::chrono::milliseconds grace = std::chrono::seconds(2));
    std::size_t size() const { return bridges_.size(); }

    // The queues as configured now; an operator's state changed (a member may be free, or idle from now).
    void configure_queues(std::vector<calls::QueueConfig> queues);
    void operator_changed(const calls::OperatorStatus& status);

  private:
    std::optional<LineConfig> line_called(const sip_t* invite) const;
    // One more call, or the limit's refusal (logged once a second at most, with how many were refused).
    CallAdmission::Verdict admit();
    bool refused_over_limit(const NuaEvent& event);  // true: answered 503 (Retry-After)
    void add(std::unique_ptr<Bridge> bridge);
    void sweep();
    static void sweep_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    static void grace_over(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    // The queue's offers reach their bridges from the loop, never from inside another bridge's decision.
    static void deliver_offers(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    BridgeContext context_;
    std::map<std::string, std::unique_ptr<Bridge>> bridges_;
    su_timer_t* sweep_timer_ = nullptr;
    su_timer_t* grace_timer_ = nullptr;  // shutdown: when the calls still open are dropped
    HeapTrim heap_trim_;                 // the memory of ended calls goes back to the system
    QueueRouter queues_;
    std::vector<calls::QueueOffer> offers_;  // waiting for deliver_offers
    su_timer_t* offer_timer_ = nullptr;
    std::map<std::string, calls::OperatorState> operator_states_;  // the last known, for "idle since"
    CallAdmission admission_;
    std::chrono::steady_clock::time_point refusals_logged_{};
    std::uint64_t refused_unlogged_ = 0;
};

}  // namespace ff::sip
