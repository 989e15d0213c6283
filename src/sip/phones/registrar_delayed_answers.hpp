// Answers to failed authentications held back for a while, so a guesser gets few tries a minute while the
// SIP thread never waits: the request is kept with nua_save_event() and answered from one su_timer with
// NUTAG_WITH_SAVED(). SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>

#include "sip/phones/registrar_auth.hpp"

namespace ff::sip {

class DelayedAnswers {
  public:
    using Clock = std::chrono::steady_clock;

    // At most `capacity` answers wait at once: memory stays bounded when many addresses guess together.
    DelayedAnswers(nua_t* nua, su_root_t* root, std::size_t capacity);
    // Answers still waiting are dropped unanswered (the stack is shutting down); their handles let go.
    ~DelayedAnswers();
    DelayedAnswers(const DelayedAnswers&) = delete;
    DelayedAnswers& operator=(const DelayedAnswers&) = delete;

    // Keeps the request of the NUA event being delivered now (on `handle`) and answers it with `verdict`
    // after `delay`. With `release_handle` the handle is destroyed once answered (a REGISTER's, which
    // nobody else owns). False, with nothing kept, when `capacity` answers already wait or the event cannot
    // be saved: the caller answers now, with `verdict` untouched (it is moved from only when kept).
    bool hold(nua_handle_t* handle, AuthVerdict& verdict, std::chrono::milliseconds delay,
              bool release_handle);

    std::size_t waiting() const { return waiting_.size(); }

  private:
    struct Held;
    void answer_due();
    void arm_timer();
    static void timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg);

    nua_t* nua_;
    std::size_t capacity_;
    su_timer_t* timer_;
    std::multimap<Clock::time_point, std::unique_ptr<Held>> waiting_;  // by when each is due
};

}  // namespace ff::sip
