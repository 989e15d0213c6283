// Each held request keeps a reference to its handle: an INVITE's caller may CANCEL meanwhile and the stack
// destroy the handle; the reference keeps the memory valid and nua_respond() then ignores the dead handle.
#include "sip/phones/registrar_delayed_answers.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace ff::sip {

struct DelayedAnswers::Held {
    nua_handle_t* handle = nullptr;
    nua_saved_event_t saved[1] = {};
    AuthVerdict verdict;
    bool release_handle = false;

    ~Held() {
        nua_destroy_event(saved);
        if (handle == nullptr) return;
        if (release_handle) nua_handle_destroy(handle);
        nua_handle_unref(handle);
    }
};

DelayedAnswers::DelayedAnswers(nua_t* nua, su_root_t* root, std::size_t capacity)
    : nua_(nua), capacity_(capacity), timer_(su_timer_create(su_root_task(root), 0)) {}

DelayedAnswers::~DelayedAnswers() {
    if (timer_ != nullptr) su_timer_destroy(timer_);
    waiting_.clear();
}

bool DelayedAnswers::hold(nua_handle_t* handle, AuthVerdict& verdict, std::chrono::milliseconds delay,
                          bool release_handle) {
    if (timer_ == nullptr || handle == nullptr || waiting_.size() >= capacity_) return false;
    auto held = std::make_unique<Held>();
    if (!nua_save_event(nua_, held->saved)) return false;
    held->handle = nua_handle_ref(handle);
    held->verdict = std::move(verdict);
    held->release_handle = release_handle;
    waiting_.emplace(Clock::now() + delay, std::move(held));
    arm_timer();
    return true;
}

void DelayedAnswers::answer_due() {
    const auto now = Clock::now();
    while (!waiting_.empty() && waiting_.begin()->first <= now) {
        auto held = std::move(waiting_.begin()->second);
        waiting_.erase(waiting_.begin());
        const sip_header_t* challenge = held->verdict.header();
        nua_respond(held->handle, held->verdict.status, held->verdict.phrase,
                    TAG_IF(challenge, SIPTAG_HEADER(challenge)), NUTAG_WITH_SAVED(held->saved), TAG_END());
        spdlog::debug("SIP registrar: held-back answer {} {} sent", held->verdict.status,
                      held->verdict.phrase);
    }
    arm_timer();
}

void DelayedAnswers::arm_timer() {
    su_timer_reset(timer_);
    if (waiting_.empty()) return;
    const auto wait =
        std::chrono::ceil<std::chrono::milliseconds>(waiting_.begin()->first - Clock::now()).count();
    su_timer_set_interval(timer_, &DelayedAnswers::timer_fired, this,
                          static_cast<su_duration_t>(std::max<long long>(wait, 1)));
}

void DelayedAnswers::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<DelayedAnswers*>(arg)->answer_due();
}

}  // namespace ff::sip
