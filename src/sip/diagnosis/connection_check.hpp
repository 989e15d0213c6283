// "Проверить подключение" on the SIP thread: an OPTIONS to the PBX (reachable? round trip), then a trial
// registration of every account at once; the report says for each step what was found and what to do.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "calls/connection_check.hpp"
#include "sip/diagnosis/account_trial.hpp"
#include "sip/lines/line_plan.hpp"
#include "sip/stack/nua_event.hpp"
#include "sip/diagnosis/server_lookup.hpp"

namespace ff::sip {

struct ConnectionCheckOptions {
    std::chrono::milliseconds options_timeout{3000};  // the OPTIONS to the PBX
    AccountTrial::Timeouts account;                   // each trial REGISTER, and its un-REGISTER
};

class ConnectionCheck final : public NuaEventSink {
  public:
    using Done = std::function<void(calls::ConnectionReport)>;

    // `pbx` names the server, port and transport (its user is unused); `name_step` is the lookup already
    // done. `done` runs once, on this thread, from inside a stack callback: destroy the check later.
    ConnectionCheck(nua_t* nua, su_root_t* root, LineConfig pbx, std::vector<config::SipUser> accounts,
                    calls::CheckStep name_step, ConnectionCheckOptions options, Done done);
    ~ConnectionCheck();
    ConnectionCheck(const ConnectionCheck&) = delete;
    ConnectionCheck& operator=(const ConnectionCheck&) = delete;

    void start();
    void on_nua_event(const NuaEvent& event) override;

  private:
    void on_options_answer(const NuaEvent& event);
    void start_trials();
    void on_trial_finished(std::size_t index, const TrialResult& result);
    void finish();
    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    void drop_handle();

    nua_t* nua_;
    su_root_t* root_;
    LineConfig pbx_;
    std::vector<config::SipUser> accounts_;
    ConnectionCheckOptions options_;
    Done done_;
    su_timer_t* timer_ = nullptr;
    nua_handle_t* options_handle_ = nullptr;
    std::chrono::steady_clock::time_point options_sent_;
    calls::ConnectionReport report_;  // steps: name, transport, then one per account
    std::vector<std::unique_ptr<AccountTrial>> trials_;
    std::size_t trials_left_ = 0;
};

// The step texts (Russian) for people; `pbx` for the addresses they name.
namespace check_text {
calls::CheckStep name_step(const std::string& server, const ServerLookup& lookup,
                           std::chrono::milliseconds waited);
calls::CheckStep transport_answered(const LineConfig& pbx, int rtt_ms, int status);
calls::CheckStep transport_silent(const LineConfig& pbx, const std::string& stack_phrase,
                                  std::chrono::milliseconds waited);
calls::CheckStep account_step(const LineConfig& account, const TrialResult& result,
                              std::chrono::milliseconds waited);
calls::CheckStep skipped(std::string step, std::string title, const config::SipUser* account);
}  // namespace check_text

// The whole report when the name did not resolve: every later step skipped.
calls::ConnectionReport report_without_server(calls::CheckStep name_step,
                                              const std::vector<config::SipUser>& accounts);

}  // namespace ff::sip
