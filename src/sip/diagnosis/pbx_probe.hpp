// Asks the PBX every few seconds whether it is there (SIP OPTIONS over the lines' own transport, as PBXs
// qualify their peers), so that a PBX that went away is reported in seconds rather than at the next
// REGISTER refresh, and the lines register again the moment it answers. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <string>

#include "sip/lines/line_plan.hpp"
#include "sip/stack/nua_event.hpp"
#include "sip/diagnosis/pbx_probe_machine.hpp"

namespace ff::sip {

class PbxProbe final : public NuaEventSink {
  public:
    // Runs on the SIP thread when the PBX was lost (with the reason in words) or is back.
    using OnVerdict = std::function<void(PbxProbeMachine::Verdict, const std::string& detail)>;

    // Probes the registrar of `target` every `interval`; a probe not answered by the next one is silent.
    PbxProbe(nua_t* nua, su_root_t* root, LineConfig target, std::chrono::milliseconds interval,
             OnVerdict on_verdict);
    ~PbxProbe();
    PbxProbe(const PbxProbe&) = delete;
    PbxProbe& operator=(const PbxProbe&) = delete;

    const LineConfig& target() const { return target_; }
    void on_nua_event(const NuaEvent& event) override;

  private:
    void on_timer();
    void send();
    void judge(PbxProbeMachine::Verdict verdict);
    void drop_handle();

    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    nua_t* nua_;
    LineConfig target_;
    std::chrono::milliseconds interval_;
    OnVerdict on_verdict_;
    PbxProbeMachine machine_;
    nua_handle_t* handle_ = nullptr;  // the probe in flight, if any
    su_timer_t* timer_ = nullptr;
};

}  // namespace ff::sip
