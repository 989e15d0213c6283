// How late the SIP thread serves what reaches it: every interval the stack sends an OPTIONS to its own
// address, which queues behind everything that came before it, twice (the request, then its answer). Half
// the round trip is the delay a new INVITE meets now; a probe still out counts its age so far, so that a
// thread drowning in work is seen before its answer comes. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <string>

#include "sip/stack/nua_event.hpp"

namespace ff::sip {

class DelayProbe final : public NuaEventSink {
  public:
    using Clock = std::chrono::steady_clock;
    using OnDelay = std::function<void(std::chrono::milliseconds delay)>;  // after each answer and each tick

    // `own_uri`: the stack's own SIP address (sip:host:port).
    DelayProbe(nua_t* nua, su_root_t* root, std::string own_uri, std::chrono::milliseconds interval, OnDelay on_delay);
    ~DelayProbe();
    DelayProbe(const DelayProbe&) = delete;
    DelayProbe& operator=(const DelayProbe&) = delete;

    void on_nua_event(const NuaEvent& event) override;

  private:
    void on_timer();
    void send();
    void drop_handle();

    static void timer_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    nua_t* nua_;
    std::string own_uri_;
    OnDelay on_delay_;
    nua_handle_t* handle_ = nullptr;  // the probe in flight, if any
    Clock::time_point sent_at_{};
    su_timer_t* timer_ = nullptr;
};

}  // namespace ff::sip
