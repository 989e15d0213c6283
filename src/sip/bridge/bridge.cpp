// The call flows of the back-to-back agent. Every leg's events come here; what one leg says is turned
// into what the other leg must hear, and into the call model's transitions.
#include "sip/bridge/bridge.hpp"

#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "calls/call_registry.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/bridge/sdp_rewrite.hpp"
#include "sip/stack/sip_addresses.hpp"

namespace ff::sip {
namespace {

using calls::EndReason;

// Why a call that never connected ended, from the final response of the far end.
EndReason unanswered_reason(int status) {
    switch (status) {
        case 486:
        case 600:
            return EndReason::busy;
        case 403:
        case 603:
            return EndReason::rejected;
        case 408:
        case 480:
        case 487:
            return EndReason::missed;
        default:
            return EndReason::failed;
    }
}

std::string caller_user(const sip_from_t* address) {
    if (address == nullptr || address->a_url->url_user == nullptr) return "anonymous";
    return address->a_url->url_user;
}

// What the answers to the in-dialog probes say about the far end: no such dialog (481) or no answer (408)
// at once; server errors (the stack's own 503 when nothing listens there any more) three times in a row.
bool leg_gone_after_probe(CallLeg& leg, const NuaEvent& event) {
    if (event.status == 408 || event.status == 481) return true;
    return leg.count_probe_failure(event.status >= 500) >= 3;
}

bool is_provisional(int status) {
    return status > 100 && status < 200;
}

}  // namespace

Bridge::Bridge(BridgeContext& context, Flow flow, LineConfig line)
    : context_(context), flow_(flow), line_(std::move(line)) {
    call_.id = calls::new_uuid();
    call_.extension = line_.extension();
    timer_ = su_timer_create(su_root_task(context_.root), 0);
    probe_timer_ = su_timer_create(su_root_task(context_.root), 0);
}

Bridge::~Bridge() {
    if (timer_ != nullptr) su_timer_destroy(timer_);
    if (probe_timer_ != nullptr) su_timer_destroy(probe_timer_);
}

std::unique_ptr<Bridge> Bridge::inbound(BridgeContext& context, nua_handle_t* handle, const sip_t* invite,
                                        LineConfig line) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, Flow::inbound, std::move(line)));
    bridge->customer_ = std::make_unique<CallLeg>(handle, CallLeg::Side::pbx, true);
    bridge->customer_->use_credentials(bridge->line_.user);
    nua_handle_bind(handle, static_cast<NuaEventSink*>(bridge.get()));
    bridge->customer_->remember_remote_sdp(sdp_of(invite));

    calls::Call call = bridge->call_;
    call.direction = calls::Direction::inbound;
    call.from = caller_user(invite->sip_from);
    call.to = bridge->line_.extension();
    if (invite->sip_call_id != nullptr) call.sip_call_id = invite->sip_call_id->i_id;
    bridge->admit(std::move(call));
    return bridge;
}

std::unique_ptr<Bridge> Bridge::from_phone(BridgeContext& context, nua_handle_t* handle, const sip_t* invite,
                                           LineConfig line) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, Flow::from_phone, std::move(line)));
    bridge->phone_ = std::make_unique<CallLeg>(handle, CallLeg::Side::phone, true);
    nua_handle_bind(handle, static_cast<NuaEventSink*>(bridge.get()));
    bridge->phone_->remember_remote_sdp(sdp_of(invite));

    calls::Call call = bridge->call_;
    call.direction = calls::Direction::outbound;
    call.from = bridge->line_.extension();
    call.to = invite->sip_request->rq_url->url_user ? invite->sip_request->rq_url->url_user : "";
    bridge->admit(std::move(call));
    return bridge;
}

std::unique_ptr<Bridge> Bridge::click_to_call(BridgeContext& context, calls::DialRequest request,
                                              std::string number, LineConfig line, Completion done) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, Flow::click_to_call, std::move(line)));
    bridge->dial_ = std::move(request);
    bridge->dial_number_ = std::move(number);
    bridge->dial_done_ = std::move(done);
    calls::Call call = bridge->call_;
    call.direction = calls::Direction::outbound;
    call.from = bridge->line_.extension();
    call.to = bridge->dial_.destination;
    bridge->admit(std::move(call));
    return bridge;
}

// ---- legs -----------------------------------------------------------------------------------------------

CallLeg* Bridge::leg_of(nua_handle_t* handle) {
    for (auto* leg : {customer_.get(), phone_.get(), target_.get()}) {
        if (leg != nullptr && leg->handle() == handle) return leg;
    }
    for (auto* list : {&forks_, &released_}) {
        for (auto& leg : *list) {
            if (leg->handle() == handle) return leg.get();
        }
    }
    return nullptr;
}

std::unique_ptr<CallLeg> Bridge::new_leg(CallLeg::Side side, const std::string& target_uri,
                                         const std::string& from_uri) {
    nua_handle_t* handle =
        nua_handle(context_.nua, static_cast<NuaEventSink*>(this), NUTAG_URL(target_uri.c_str()),
                   SIPTAG_TO_STR(target_uri.c_str()), SIPTAG_FROM_STR(from_uri.c_str()), TAG_END());
    if (handle == nullptr) return nullptr;
    auto leg = std::make_unique<CallLeg>(handle, side, false);
    if (side == CallLeg::Side::pbx) leg->use_credentials(line_.user);
    return leg;
}

std::string Bridge::customer_uri(const std::string& number) const {
    LineConfig target = line_;
    target.user.username = number;
    std::string uri = address_of_record(target) + ":" + std::to_string(line_.port);
    if (const auto parameters = contact_parameters(line_); !parameters.empty()) uri += ";" + parameters;
    return uri;
}

std::string Bridge::line_uri() const {
    const std::string& name = line_.user.display_name.empty() ? line_.user.username : line_.user.display_name;
    return "\"" + name + "\" <" + address_of_record(line_) + ">";
}

void Bridge::release(std::unique_ptr<CallLeg>& leg, int refusal) {
    if (!leg) return;
    leg->hang_up(refusal);
    released_.push_back(std::move(leg));
}

void Bridge::release_all() {
    release(customer_, 603);
    release(phone_, 487);
    release(target_);
    for (auto& fork : forks_) release(fork);
    forks_.clear();
}

bool Bridge::finished() const {
    if (!reported_end_ && !detached_) return false;
    if (gave_up_) return true;
    for (const auto* leg : {customer_.get(), phone_.get(), target_.get()}) {
        if (leg != nullptr && !leg->terminated()) return false;
    }
    return std::all_of(released_.begin(), released_.end(),
                       [](const auto& leg) { return leg->terminated(); }) &&
           forks_.empty();
}

// ---- admission -------------------------------------------------------------------------------------------

void Bridge::admit(calls::Call call) {
    context_.hooks.admit(std::move(call),
                         [this](calls::Result<calls::Call> created) { on_admitted(std::move(created)); });
}

void Bridge::on_admitted(calls::Result<calls::Call> created) {
    if (!created) {
        spdlog::error("call {}: cannot be created: {}", call_.id, created.error().message);
        refuse(dial_done_, created.error().code, created.error().message);
        reported_end_ = true;
        release_all();
        return;
    }
    call_ = created.value();
    admitted_ = true;
    if (end_reason_ != EndReason::none) {  // ended while the caller was looked up
        reported_end_ = false;
        end(end_reason_);
        return;
    }
    phase_ = Phase::ringing;
    switch (flow_) {
        case Flow::inbound:
            if (context_.phones.contacts(line_.extension()).empty()) {
                spdlog::info("call {}: extension {} has no phone registered; the PBX gets 480", call_.id,
                             line_.extension());
                end(EndReason::missed);
                return;
            }
            ring_phones(false);
            return;
        case Flow::from_phone:
            phase_ = Phase::connecting;
            call_customer(phone_->remote_sdp());  // what the phone offered in its INVITE
            return;
        case Flow::click_to_call: {
            auto done = std::move(dial_done_);
            if (done) done(call_);
            ring_phones(dial_.auto_answer);
            arm_timer(context_.options.phone_ring_timeout, [this] {
                if (phase_ == Phase::ringing) {
                    spdlog::info("call {}: the operator's phone did not pick up", call_.id);
                    end(EndReason::cancelled);
                }
            });
            return;
        }
    }
}

// ---- ringing the operator's phones
// --------------------------------------------------------------------------

void Bridge::ring_phones(bool auto_answer) {
    auto contacts = context_.phones.contacts(line_.extension());
    if (auto_answer && contacts.size() > 1) contacts.resize(1);  // one phone picks up, not all of them
    const std::string caller = call_.remote_number();
    const std::string from = "\"" + caller + "\" <sip:" + caller + "@" +
                             (line_.server.empty() ? std::string("pjsip-service.invalid") : line_.server) +
                             ">";
    const std::string headers = auto_answer
                                    ? "Call-Info: <sip:" + line_.extension() +
                                          "@pjsip-service.invalid>;answer-after=0\r\n"
                                          "Alert-Info: <http://pjsip-service.invalid>;info=alert-autoanswer"
                                    : std::string();
    // Inbound: the customer's offer, from the PBX's INVITE. Click-to-call: offerless, the phone offers.
    const std::string offer = flow_ == Flow::click_to_call ? std::string() : customer_->remote_sdp();
    for (const auto& contact : contacts) {
        auto fork = new_leg(CallLeg::Side::phone, contact.uri, from);
        if (!fork) continue;
        fork->invite(offer, headers);
        forks_.push_back(std::move(fork));
    }
    if (forks_.empty()) phones_failed();
}

void Bridge::on_fork_event(CallLeg& fork, const NuaEvent& event) {
    if (event.event != nua_r_invite) return;
    if (is_provisional(event.status) && event.status < 190) {
        if (flow_ == Flow::inbound && !rang_) {
            rang_ = true;
            customer_->respond(180);
            report(calls::transition::Ringing{});
        }
        return;
    }
    if (event.status < 200) return;
    auto found =
        std::find_if(forks_.begin(), forks_.end(), [&](const auto& leg) { return leg.get() == &fork; });
    if (found == forks_.end()) return;
    std::unique_ptr<CallLeg> leg = std::move(*found);
    forks_.erase(found);
    if (!is_success(event.status)) {
        released_.push_back(std::move(leg));
        if (forks_.empty() && !phone_) phones_failed(event.status);
        return;
    }
    // This phone picked up: the others stop ringing.
    phone_ = std::move(leg);
    for (auto& other : forks_) release(other);
    forks_.clear();
    if (flow_ == Flow::inbound) {
        customer_->respond(200, phone_->remote_sdp());
        phase_ = Phase::talking;
        report(calls::transition::Answered{calls::now_ms()},
               pending_ == Pending::answer ? std::move(pending_done_) : Completion{});
        if (pending_ == Pending::answer) pending_ = Pending::none;
        start_probes();
        return;
    }
    // Click-to-call: the operator is on. Park the phone (RFC 3725 flow IV) and call the customer with its
    // offer.
    phone_offer_ = phone_->remote_sdp();
    phone_->ack(black_hole_answer(phone_offer_).value_or(phone_offer_));
    phase_ = Phase::connecting;
    call_customer(phone_offer_);
}

void Bridge::phones_failed(int status) {
    if (flow_ == Flow::inbound) {
        const EndReason reason = status == 0 ? EndReason::missed : unanswered_reason(status);
        if (pending_ == Pending::answer)
            refuse(pending_done_, calls::ErrorCode::unavailable, "the operator's phone did not pick up");
        pending_ = Pending::none;
        end(reason == EndReason::failed ? EndReason::missed : reason);
        return;
    }
    end(EndReason::cancelled);  // click-to-call: the operator's phone never came on
}

// ---- the customer's leg through the PBX -------------------------------------------------------------------

void Bridge::call_customer(const std::string& offer) {
    const std::string number = flow_ == Flow::click_to_call ? dial_number_ : call_.to;
    customer_ = new_leg(CallLeg::Side::pbx, customer_uri(number), line_uri());
    if (!customer_) {
        end(EndReason::failed);
        return;
    }
    customer_->invite(offer);
    arm_timer(context_.options.customer_ring_timeout, [this] {
        if (phase_ == Phase::connecting) {
            spdlog::info("call {}: the customer did not pick up", call_.id);
            end(EndReason::missed);
        }
    });
}

void Bridge::on_customer_event(CallLeg& customer, const NuaEvent& event) {
    switch (event.event) {
        case nua_i_cancel:  // the caller hung up before anyone answered
            end(EndReason::missed);
            return;
        case nua_i_bye:
            end(phase_ == Phase::talking ? EndReason::completed : EndReason::missed);
            return;
        case nua_i_invite:
            if (customer.answered() && phone_) relay_reinvite(customer, *phone_, event);
            return;
        case nua_r_refer:
        case nua_i_notify:
            on_refer_progress(event);
            return;
        case nua_r_options:
            if (leg_gone_after_probe(customer, event)) {
                spdlog::warn("call {}: the PBX's side is gone ({}); ending the call", call_.id, event.status);
                end(EndReason::failed);
            }
            return;
        case nua_r_invite:
            break;
        default:
            return;
    }
    if (phase_ == Phase::talking) return on_reinvite_answered(customer, event);
    if (phase_ != Phase::connecting) return;
    if (is_provisional(event.status)) {
        if (flow_ == Flow::from_phone && phone_)
            phone_->respond(event.status, customer.remote_sdp());
        if (!rang_ && event.status < 190) {
            rang_ = true;
            report(calls::transition::Ringing{});
        }
        return;
    }
    if (!is_success(event.status)) {
        spdlog::info("call {}: the customer's side answered {} {}", call_.id, event.status, event.phrase);
        if (flow_ == Flow::from_phone) release(phone_, event.status);
        release(customer_);
        end(unanswered_reason(event.status));
        return;
    }
    phase_ = Phase::talking;
    su_timer_reset(timer_);
    if (flow_ == Flow::from_phone) {
        phone_->respond(200, customer.remote_sdp());
    } else {
        phone_->invite(customer.remote_sdp());  // the phone leaves the black hole: now it hears the customer
    }
    report(calls::transition::Answered{calls::now_ms()});
    start_probes();
}

// ---- the operator's phone once it is on
// ----------------------------------------------------------------------

void Bridge::on_phone_event(CallLeg& phone, const NuaEvent& event) {
    switch (event.event) {
        case nua_i_bye:
            end(phase_ == Phase::talking ? EndReason::completed : EndReason::cancelled);
            return;
        case nua_i_cancel:  // the operator gave up dialling
            end(EndReason::cancelled);
            return;
        case nua_i_refer:  // the operator transferred the call from the phone
            on_phone_refer(event);
            return;
        case nua_i_invite:
            if (phone.answered() && customer_ && phase_ == Phase::talking) {
                const std::string offer = sdp_of(event.sip);
                const bool hold = is_hold(offer);
                relay_reinvite(phone, *customer_, event);
                if (hold != held_) {
                    held_ = hold;
                    if (hold) {
                        report(calls::transition::Held{});
                    } else {
                        report(calls::transition::Unheld{});
                    }
                }
            }
            return;
        case nua_r_options:
            if (leg_gone_after_probe(phone, event)) {
                spdlog::warn("call {}: the operator's phone is gone ({}); ending the call", call_.id,
                             event.status);
                end(EndReason::failed);
            }
            return;
        case nua_r_invite:
            if (phase_ == Phase::talking) on_reinvite_answered(phone, event);
            return;
        default:
            return;
    }
}

void Bridge::relay_reinvite(CallLeg& from, CallLeg& to, const NuaEvent& event) {
    const std::string offer = sdp_of(event.sip);
    if (offer.empty() || pending_ != Pending::none) {
        // Nothing to pass on (a session refresh), or another change is under way: keep what is agreed.
        from.respond(200, to.remote_sdp());
        return;
    }
    pending_ = Pending::relay;
    relay_from_ = &from;
    to.invite(offer);
}

void Bridge::on_reinvite_answered(CallLeg& leg, const NuaEvent& event) {
    if (event.status < 200) return;
    const bool ok = is_success(event.status);
    switch (pending_) {
        case Pending::relay:
            if (relay_from_ != nullptr && relay_from_ != &leg) {
                if (ok) {
                    relay_from_->respond(200, leg.remote_sdp());
                } else {
                    relay_from_->respond(event.status);
                }
            }
            relay_from_ = nullptr;
            pending_ = Pending::none;
            return;
        case Pending::hold:
        case Pending::unhold:
            if (&leg != customer_.get()) return;  // the customer's answer decides
            if (ok) {
                held_ = pending_ == Pending::hold;
                const bool hold = held_;
                pending_ = Pending::none;
                if (hold) {
                    report(calls::transition::Held{}, std::move(pending_done_));
                } else {
                    report(calls::transition::Unheld{}, std::move(pending_done_));
                }
            } else {
                pending_ = Pending::none;
                refuse(pending_done_, calls::ErrorCode::unavailable,
                       "the PBX refused the re-INVITE: " + std::to_string(event.status) + " " + event.phrase);
            }
            return;
        default:
            return;
    }
}

// ---- legs that end on their own
// ------------------------------------------------------------------------------

void Bridge::on_leg_gone(CallLeg& leg) {
    // Legs already let go (the operator's phone after a transfer) end on their own; only the two that carry
    // the call matter.
    if (&leg != customer_.get() && &leg != phone_.get()) return;
    if (detached_) {
        if (customer_) customer_->hang_up();
        if (phone_) phone_->hang_up();
        return;
    }
    if (!reported_end_) end(phase_ == Phase::talking ? EndReason::failed : EndReason::missed);
}

// ---- reporting
// ---------------------------------------------------------------------------------------------

void Bridge::report(calls::Transition change, Completion done) {
    if (!admitted_) {
        complete(done, calls::make_error(calls::ErrorCode::invalid_state, "the call is being set up"));
        return;
    }
    context_.hooks.apply(call_.id, std::move(change), std::move(done));
}

void Bridge::end(EndReason reason, Completion done) {
    if (reported_end_) return complete(done, call_);
    reported_end_ = true;
    phase_ = Phase::ending;
    su_timer_reset(timer_);
    su_timer_reset(probe_timer_);
    if (pending_ != Pending::none && pending_done_)
        refuse(pending_done_, calls::ErrorCode::invalid_state, "the call ended");
    pending_ = Pending::none;
    if (reason == EndReason::transferred && phone_ && phone_->side() == CallLeg::Side::pbx) {
        detached_ = true;  // customer and target keep talking through us
    } else {
        if (reason == EndReason::busy) release(customer_, 486);
        if (reason == EndReason::rejected) release(customer_, 603);
        release(customer_, 480);
        release_all();
    }
    if (!admitted_) {
        end_reason_ = reason;
        reported_end_ = false;  // reported once the call exists
        phase_ = Phase::ending;
        return;
    }
    // A leg that never confirms its end must not keep the bridge forever.
    if (!detached_) arm_timer(std::chrono::seconds(40), [this] { gave_up_ = true; });
    context_.hooks.apply(call_.id, calls::transition::Ended{reason, calls::now_ms()}, std::move(done));
}

void Bridge::complete(Completion& done, calls::Result<calls::Call> result) {
    if (!done) return;
    auto callback = std::move(done);
    done = nullptr;
    callback(std::move(result));
}

void Bridge::refuse(const Completion& done, calls::ErrorCode code, std::string message) {
    if (done) done(calls::make_error(code, std::move(message)));
}

// ---- events and timers
// ---------------------------------------------------------------------------------------

void Bridge::on_nua_event(const NuaEvent& event) {
    CallLeg* leg = leg_of(event.handle);
    if (leg == nullptr) return;
    if (leg->absorb(event)) return;
    if (event.event == nua_i_state) {
        if (leg->terminated()) on_leg_gone(*leg);
        return;
    }
    if (detached_) {
        if (event.event == nua_i_bye) on_leg_gone(*leg);
        return;
    }
    if (leg == customer_.get()) return on_customer_event(*leg, event);
    if (leg == phone_.get()) return on_phone_event(*leg, event);
    if (leg == target_.get()) return on_target_event(*leg, event);
    for (auto& fork : forks_) {
        if (fork.get() == leg) return on_fork_event(*leg, event);
    }
}

void Bridge::arm_timer(std::chrono::milliseconds delay, std::function<void()> action) {
    su_timer_reset(timer_);
    timer_action_ = std::move(action);
    su_timer_set_interval(timer_, &Bridge::timer_fired, this, static_cast<su_duration_t>(delay.count()));
}

void Bridge::start_probes() {
    const auto interval =
        std::chrono::duration_cast<std::chrono::milliseconds>(context_.options.dialog_probe_interval);
    if (interval.count() <= 0) return;
    su_timer_set_interval(
        probe_timer_,
        [](su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
            auto* bridge = static_cast<Bridge*>(arg);
            if (bridge->phase_ != Phase::talking) return;
            if (bridge->customer_) bridge->customer_->probe();
            if (bridge->phone_) bridge->phone_->probe();
            bridge->start_probes();
        },
        this, static_cast<su_duration_t>(interval.count()));
}

void Bridge::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* bridge = static_cast<Bridge*>(arg);
    auto action = std::move(bridge->timer_action_);
    bridge->timer_action_ = nullptr;
    if (action) action();
}

}  // namespace ff::sip
