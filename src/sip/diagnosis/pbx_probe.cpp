// One OPTIONS in flight at a time; the timer that sends the next one also judges the last one unanswered.
#include "sip/diagnosis/pbx_probe.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <spdlog/spdlog.h>

#include "sip/stack/sip_addresses.hpp"

namespace ff::sip {

PbxProbe::PbxProbe(nua_t* nua, su_root_t* root, LineConfig target, std::chrono::milliseconds interval,
                   OnVerdict on_verdict)
    : nua_(nua),
      target_(std::move(target)),
      interval_(interval),
      on_verdict_(std::move(on_verdict)),
      timer_(su_timer_create(su_root_task(root), static_cast<su_duration_t>(interval.count()))) {
    if (timer_) su_timer_run(timer_, &PbxProbe::timer_fired, this);
    send();
}

PbxProbe::~PbxProbe() {
    drop_handle();
    if (timer_) su_timer_destroy(timer_);
}

void PbxProbe::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<PbxProbe*>(arg)->on_timer();
}

void PbxProbe::on_timer() {
    if (handle_ != nullptr) {  // still unanswered: the PBX is silent
        drop_handle();
        judge(machine_.on_silence());
    }
    send();
}

void PbxProbe::send() {
    const std::string target = registrar_uri(target_);
    const std::string from = address_of_record(target_);
    handle_ = nua_handle(nua_, static_cast<NuaEventSink*>(this), SIPTAG_TO_STR(target.c_str()),
                         SIPTAG_FROM_STR(from.c_str()), TAG_END());
    if (handle_ != nullptr) nua_options(handle_, NUTAG_URL(target.c_str()), TAG_END());
}

void PbxProbe::on_nua_event(const NuaEvent& event) {
    if (event.handle != handle_ || event.event != nua_r_options || event.status < 200) return;
    const bool answered = answered_by_peer(event);
    drop_handle();
    judge(answered ? machine_.on_answer() : machine_.on_silence());
}

void PbxProbe::judge(PbxProbeMachine::Verdict verdict) {
    if (verdict == PbxProbeMachine::Verdict::none) return;
    const std::string pbx = describe_registrar(target_);
    std::string detail;
    if (verdict == PbxProbeMachine::Verdict::pbx_lost) {
        detail = "the PBX at " + pbx + " does not answer (" + std::to_string(machine_.silent_probes()) +
                 " OPTIONS unanswered, one every " + std::to_string(interval_.count()) + " ms" +
                 // Sofia drops a TLS connection whose certificate it refuses without failing the request.
                 (target_.transport == config::SipTransport::tls ? "; is its certificate signed by SIP_TLS_CA?)"
                                                                 : ")");
        spdlog::warn("SIP: {}", detail);
    } else {
        detail = "the PBX at " + pbx + " answers again";
        spdlog::info("SIP: {}: registering every line at once", detail);
    }
    on_verdict_(verdict, detail);
}

void PbxProbe::drop_handle() {
    if (handle_ == nullptr) return;
    nua_handle_destroy(handle_);
    handle_ = nullptr;
}

}  // namespace ff::sip
