// One account of the connection check: a trial REGISTER on a handle of its own, answered with the digest
// credentials once, then an un-REGISTER of that trial contact only, so nothing stays registered.
// SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "sip/lines/line_plan.hpp"
#include "sip/stack/nua_event.hpp"

namespace ff::sip {

struct TrialResult {
    enum class Outcome { accepted, wrong_password, unknown_user, no_answer, refused };
    Outcome outcome = Outcome::no_answer;
    std::optional<int> sip_status;  // the PBX's own final answer, if it gave one
    std::string phrase;             // its reason phrase, or the stack's when the PBX did not answer
};

class AccountTrial final : public NuaEventSink {
  public:
    using Finished = std::function<void(const TrialResult&)>;

    struct Timeouts {
        std::chrono::milliseconds register_answer{4000};
        std::chrono::milliseconds unregister_answer{2000};
    };
    // `line` is the account with the PBX to try.
    AccountTrial(nua_t* nua, su_root_t* root, LineConfig line, Timeouts timeouts, Finished finished);
    ~AccountTrial();
    AccountTrial(const AccountTrial&) = delete;
    AccountTrial& operator=(const AccountTrial&) = delete;

    void start();
    const LineConfig& line() const { return line_; }

    void on_nua_event(const NuaEvent& event) override;

  private:
    enum class Phase { idle, registering, unregistering, done };

    void on_register_answer(const NuaEvent& event);
    void on_unregister_answer(const NuaEvent& event);
    bool answer_challenge(const NuaEvent& event);
    void conclude(TrialResult result);  // the result is known; the un-REGISTER may still follow
    void finish();
    void arm_timer(std::chrono::milliseconds delay);
    void on_timer();
    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    void drop_handle();

    nua_t* nua_;
    LineConfig line_;
    Timeouts timeouts_;
    Finished finished_;
    su_timer_t* timer_ = nullptr;
    nua_handle_t* handle_ = nullptr;
    Phase phase_ = Phase::idle;
    bool challenge_answered_ = false;
    TrialResult result_;
};

}  // namespace ff::sip
