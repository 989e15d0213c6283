// One operator's line: a NUA handle that keeps the account registered at the PBX. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <string>

#include "calls/telephony_status.hpp"
#include "sip/lines/line_plan.hpp"
#include "sip/stack/nua_event.hpp"
#include "sip/lines/registration_machine.hpp"

namespace ff::sip {

struct LineOptions {
    int register_expires = 300;  // seconds asked for in each REGISTER; the stack refreshes before the end
    BackoffPolicy backoff;
    std::chrono::milliseconds unregister_timeout{3000};  // a PBX that does not answer the un-REGISTER
    std::chrono::milliseconds pbx_probe_interval{2000};  // SIP_PBX_PROBE_INTERVAL: OPTIONS to the PBX; 0 off
    // With a certificate set: SIP_LISTEN and SIP_TLS_LISTEN (host:port) for the lines' Contacts
    std::string listen;
    std::string tls_listen;
};

class Line final : public NuaEventSink {
  public:
    // `on_change` runs (on the SIP thread) whenever state() changed.
    using OnChange = std::function<void(const calls::LineState&)>;

    Line(nua_t* nua, su_root_t* root, LineConfig config, const LineOptions& options, OnChange on_change);
    ~Line();  // drops the handle without SIP traffic; stop() first for a clean un-REGISTER
    Line(const Line&) = delete;
    Line& operator=(const Line&) = delete;

    // Registers (or, without a PBX configured, only reports that).
    void start();
    bool started() const { return started_; }
    // Un-REGISTERs when there is something to remove at the PBX; finished() once answered, timed out,
    // or at once when the line was not registered. `on_finished` runs then, from the line's own callback:
    // it must not destroy the line there and then.
    void stop(std::function<void()> on_finished);
    bool finished() const { return finished_; }

    // Retries at once when waiting to retry: another line just reached the same PBX, so it is back.
    void retry_now();
    bool waiting_to_retry() const { return machine_.phase() == RegistrationMachine::Phase::retry_wait; }

    // What the PBX probe found: the PBX stopped answering (the line is down now), or answers again (the
    // line registers at once).
    void pbx_lost(const std::string& detail);
    void pbx_back();

    void relabel(const std::string& display_name);
    const LineConfig& config() const { return config_; }
    calls::LineState state() const;

    void on_nua_event(const NuaEvent& event) override;

  private:
    void apply(RegistrationStep step, const NuaEvent* challenge);
    void send_register();
    void authenticate(const NuaEvent& challenge);
    void on_unregister_response(const NuaEvent& event);
    void arm_timer(std::chrono::milliseconds delay);
    void on_timer();
    void drop_handle();
    void finish();
    void report();

    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    nua_t* nua_;
    LineConfig config_;
    LineOptions options_;
    OnChange on_change_;
    std::function<void()> on_finished_;
    RegistrationMachine machine_;
    nua_handle_t* handle_ = nullptr;
    su_timer_t* timer_ = nullptr;
    bool started_ = false;
    bool stopping_ = false;
    bool finished_ = false;
    bool unregister_challenge_answered_ = false;
    std::string idle_detail_;
    calls::LineState last_reported_;  // shown while the machine has not started (no PBX configured)
};

}  // namespace ff::sip
