// How the PBX's answers to a trial REGISTER read: 200 accepted; 403, or a second challenge after our
// credentials, a wrong password; 404 an unknown user; an answer made up by the stack (408, 503) no answer.
#include "sip/diagnosis/account_trial.hpp"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>
#include <spdlog/spdlog.h>

#include "sip/stack/sip_addresses.hpp"

namespace ff::sip {
namespace {

// Long enough for any registrar's minimum, and gone by itself should the un-REGISTER be lost.
constexpr const char* trial_expires = "60";

}  // namespace

AccountTrial::AccountTrial(nua_t* nua, su_root_t* root, LineConfig line, Timeouts timeouts, Finished finished)
    : nua_(nua),
      line_(std::move(line)),
      timeouts_(timeouts),
      finished_(std::move(finished)),
      timer_(su_timer_create(su_root_task(root), 0)) {}

AccountTrial::~AccountTrial() {
    drop_handle();
    if (timer_) su_timer_destroy(timer_);
}

void AccountTrial::start() {
    const std::string aor = address_of_record(line_);
    handle_ = nua_handle(nua_, static_cast<NuaEventSink*>(this), SIPTAG_TO_STR(aor.c_str()),
                         SIPTAG_FROM_STR(aor.c_str()), TAG_END());
    if (handle_ == nullptr) {
        conclude({TrialResult::Outcome::refused, std::nullopt, "SIP stack error: cannot create a handle"});
        finish();
        return;
    }
    phase_ = Phase::registering;
    const std::string registrar = registrar_uri(line_);
    const std::string parameters = contact_parameters(line_);
    // A Contact of its own ("check-<login>"): the un-REGISTER then removes this trial binding only, never the
    // running line's binding of the same account.
    const std::string contact_user = "check-" + line_.user.username;
    nua_register(handle_, NUTAG_REGISTRAR(URL_STRING_MAKE(registrar.c_str())),
                 NUTAG_M_USERNAME(contact_user.c_str()),
                 TAG_IF(!parameters.empty(), NUTAG_M_PARAMS(parameters.c_str())),
                 NUTAG_OUTBOUND(outbound_options), SIPTAG_EXPIRES_STR(trial_expires), TAG_END());
    arm_timer(timeouts_.register_answer);
}

void AccountTrial::on_nua_event(const NuaEvent& event) {
    if (event.handle != handle_) return;
    if (event.event == nua_r_register && phase_ == Phase::registering) on_register_answer(event);
    if (event.event == nua_r_unregister && phase_ == Phase::unregistering) on_unregister_answer(event);
}

void AccountTrial::on_register_answer(const NuaEvent& event) {
    if (event.status < 200) return;
    const std::string phrase = event.phrase ? event.phrase : "";
    if (!answered_by_peer(event)) {
        conclude({TrialResult::Outcome::no_answer, std::nullopt, phrase});
        return finish();
    }
    if (event.status < 300) {
        conclude({TrialResult::Outcome::accepted, event.status, phrase});
        phase_ = Phase::unregistering;
        challenge_answered_ = false;
        nua_unregister(handle_, TAG_END());
        arm_timer(timeouts_.unregister_answer);
        return;
    }
    if (event.status == 401 || event.status == 407) {
        if (!challenge_answered_ && answer_challenge(event)) return;
        // Our credentials were challenged again: the PBX did not take the password.
        conclude({TrialResult::Outcome::wrong_password, event.status, phrase});
        return finish();
    }
    if (event.status == 403) {
        conclude({TrialResult::Outcome::wrong_password, event.status, phrase});
    } else if (event.status == 404) {
        conclude({TrialResult::Outcome::unknown_user, event.status, phrase});
    } else {
        conclude({TrialResult::Outcome::refused, event.status, phrase});
    }
    finish();
}

void AccountTrial::on_unregister_answer(const NuaEvent& event) {
    if (event.status < 200) return;
    if ((event.status == 401 || event.status == 407) && answered_by_peer(event) && !challenge_answered_ &&
        answer_challenge(event))
        return;
    if (event.status >= 300) {
        spdlog::warn(
            "connection check {}: un-REGISTER of the trial contact answered {} {}; it expires in {} s",
            line_.user.extension, event.status, event.phrase ? event.phrase : "", trial_expires);
    }
    finish();
}

bool AccountTrial::answer_challenge(const NuaEvent& event) {
    const msg_auth_t* header = nullptr;
    if (event.sip)
        header = event.status == 407 ? event.sip->sip_proxy_authenticate : event.sip->sip_www_authenticate;
    const char* realm = header ? msg_params_find(header->au_params, "realm=") : nullptr;
    if (realm == nullptr) return false;
    challenge_answered_ = true;
    const std::string credentials = digest_credentials(realm, line_.user);
    nua_authenticate(handle_, NUTAG_AUTH(credentials.c_str()), TAG_END());
    return true;
}

void AccountTrial::conclude(TrialResult result) {
    result_ = std::move(result);
}

void AccountTrial::finish() {
    if (phase_ == Phase::done) return;
    phase_ = Phase::done;
    if (timer_) su_timer_reset(timer_);
    drop_handle();
    if (finished_) {
        auto notify = std::move(finished_);
        finished_ = nullptr;
        notify(result_);
    }
}

void AccountTrial::arm_timer(std::chrono::milliseconds delay) {
    if (timer_)
        su_timer_set_interval(timer_, &AccountTrial::timer_fired, this,
                              static_cast<su_duration_t>(delay.count()));
}

void AccountTrial::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<AccountTrial*>(arg)->on_timer();
}

void AccountTrial::on_timer() {
    if (phase_ == Phase::registering) {
        conclude({TrialResult::Outcome::no_answer, std::nullopt, "no answer in time"});
    } else if (phase_ == Phase::unregistering) {
        spdlog::warn(
            "connection check {}: no answer to the un-REGISTER of the trial contact; it expires in {} s",
            line_.user.extension, trial_expires);
    }
    finish();
}

void AccountTrial::drop_handle() {
    if (handle_ == nullptr) return;
    nua_handle_bind(handle_, nullptr);
    nua_handle_destroy(handle_);
    handle_ = nullptr;
}

}  // namespace ff::sip
