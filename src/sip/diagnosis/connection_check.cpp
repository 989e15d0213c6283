// The OPTIONS answer proves the transport (any answer from the PBX does, even 404: it is there); only then
// are accounts tried, each on its own handle, concurrently, so the whole check stays within a few seconds.
#include "sip/diagnosis/connection_check.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>

#include "sip/stack/sip_addresses.hpp"

namespace ff::sip {
ConnectionCheck::ConnectionCheck(nua_t* nua, su_root_t* root, LineConfig pbx,
                                 std::vector<config::SipUser> accounts, calls::CheckStep name_step,
                                 ConnectionCheckOptions options, Done done)
    : nua_(nua),
      root_(root),
      pbx_(std::move(pbx)),
      accounts_(std::move(accounts)),
      options_(options),
      done_(std::move(done)),
      timer_(su_timer_create(su_root_task(root), 0)) {
    report_.steps.push_back(std::move(name_step));
}

ConnectionCheck::~ConnectionCheck() {
    drop_handle();
    trials_.clear();
    if (timer_) su_timer_destroy(timer_);
}

void ConnectionCheck::start() {
    const std::string target = registrar_uri(pbx_);
    options_handle_ =
        nua_handle(nua_, static_cast<NuaEventSink*>(this), SIPTAG_TO_STR(target.c_str()), TAG_END());
    if (options_handle_ == nullptr) {
        report_.steps.push_back(
            check_text::transport_silent(pbx_, "SIP stack error: cannot create a handle", {}));
        return finish();
    }
    options_sent_ = std::chrono::steady_clock::now();
    nua_options(options_handle_, NUTAG_URL(target.c_str()), TAG_END());
    if (timer_)
        su_timer_set_interval(timer_, &ConnectionCheck::timer_fired, this,
                              static_cast<su_duration_t>(options_.options_timeout.count()));
}

void ConnectionCheck::on_nua_event(const NuaEvent& event) {
    if (event.handle == options_handle_ && event.event == nua_r_options) on_options_answer(event);
}

void ConnectionCheck::on_options_answer(const NuaEvent& event) {
    if (event.status < 200) return;
    if (timer_) su_timer_reset(timer_);
    const auto waited = std::chrono::steady_clock::now() - options_sent_;
    const bool from_pbx = answered_by_peer(event);
    drop_handle();
    if (!from_pbx) {
        report_.steps.push_back(
            check_text::transport_silent(pbx_, event.phrase ? event.phrase : "",
                                         std::chrono::duration_cast<std::chrono::milliseconds>(waited)));
        return finish();
    }
    const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(waited).count();
    // Rounded up: a loopback answer is well under a millisecond, and "0 ms" would read as "not measured".
    report_.steps.push_back(
        check_text::transport_answered(pbx_, static_cast<int>((rtt + 999) / 1000), event.status));
    start_trials();
}

void ConnectionCheck::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* check = static_cast<ConnectionCheck*>(arg);
    check->drop_handle();
    check->report_.steps.push_back(
        check_text::transport_silent(check->pbx_, {}, check->options_.options_timeout));
    check->finish();
}

void ConnectionCheck::start_trials() {
    trials_left_ = accounts_.size();
    if (accounts_.empty()) return finish();
    for (std::size_t index = 0; index < accounts_.size(); ++index) {
        LineConfig line = pbx_;
        line.user = accounts_[index];
        report_.steps.push_back(check_text::skipped("account", {}, &accounts_[index]));
        trials_.push_back(std::make_unique<AccountTrial>(
            nua_, root_, std::move(line), options_.account,
            [this, index](const TrialResult& result) { on_trial_finished(index, result); }));
    }
    // Started once all exist: a trial may finish inside start() (no handle), and that must find its siblings.
    for (auto& trial : trials_) trial->start();
}

void ConnectionCheck::on_trial_finished(std::size_t index, const TrialResult& result) {
    report_.steps[2 + index] =
        check_text::account_step(trials_[index]->line(), result, options_.account.register_answer);
    if (--trials_left_ == 0) finish();
}

void ConnectionCheck::finish() {
    // Whatever was not reached is listed as skipped, so the page always shows every step.
    if (report_.steps.size() < 2) report_.steps.push_back(check_text::skipped("transport", {}, nullptr));
    while (report_.steps.size() < 2 + accounts_.size())
        report_.steps.push_back(check_text::skipped("account", {}, &accounts_[report_.steps.size() - 2]));
    if (done_) {
        auto notify = std::move(done_);
        done_ = nullptr;
        notify(report_);
    }
}

void ConnectionCheck::drop_handle() {
    if (options_handle_ == nullptr) return;
    nua_handle_bind(options_handle_, nullptr);
    nua_handle_destroy(options_handle_);
    options_handle_ = nullptr;
}

}  // namespace ff::sip
