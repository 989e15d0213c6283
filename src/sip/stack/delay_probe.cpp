// One OPTIONS in flight at a time: while it is out, each tick reports its age as the delay so far, and one
// out for longer than a SIP transaction lives (its datagram lost) gives way to the next.
#include "sip/stack/delay_probe.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

namespace ff::sip {

namespace {

constexpr auto lost_after = std::chrono::seconds(32);

std::chrono::milliseconds half_of(DelayProbe::Clock::duration round_trip) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(round_trip / 2);
}

}  // namespace

DelayProbe::DelayProbe(nua_t* nua, su_root_t* root, std::string own_uri, std::chrono::milliseconds interval,
                       OnDelay on_delay)
    : nua_(nua),
      own_uri_(std::move(own_uri)),
      on_delay_(std::move(on_delay)),
      timer_(su_timer_create(su_root_task(root), static_cast<su_duration_t>(interval.count()))) {
    if (timer_) su_timer_run(timer_, &DelayProbe::timer_fired, this);
    send();
}

DelayProbe::~DelayProbe() {
    drop_handle();
    if (timer_) su_timer_destroy(timer_);
}

void DelayProbe::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<DelayProbe*>(arg)->on_timer();
}

void DelayProbe::on_timer() {
    if (handle_ == nullptr) return send();
    const auto age = Clock::now() - sent_at_;
    if (age > lost_after) {
        drop_handle();
        return send();
    }
    on_delay_(half_of(age));
}

void DelayProbe::send() {
    handle_ = nua_handle(nua_, static_cast<NuaEventSink*>(this), SIPTAG_TO_STR(own_uri_.c_str()), TAG_END());
    if (handle_ == nullptr) return;
    sent_at_ = Clock::now();
    nua_options(handle_, NUTAG_URL(own_uri_.c_str()), TAG_END());
}

void DelayProbe::on_nua_event(const NuaEvent& event) {
    if (event.handle != handle_ || event.event != nua_r_options || event.status < 200) return;
    const auto round_trip = Clock::now() - sent_at_;
    drop_handle();
    on_delay_(half_of(round_trip));
}

void DelayProbe::drop_handle() {
    if (handle_ == nullptr) return;
    nua_handle_destroy(handle_);
    handle_ = nullptr;
}

}  // namespace ff::sip
