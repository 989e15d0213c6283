// The bridge's adapter: every leg's Sofia-SIP events come here and become decision events
// (bridge_decisions.hpp); the decisions' actions become SIP requests, answers and call-model transitions.
#include "sip/bridge/bridge.hpp"

#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "calls/call_registry.hpp"
#include "sip/bridge/inbound_identity.hpp"
#include "sip/bridge/sdp_rewrite.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/queues/queue_router.hpp"
#include "sip/stack/sip_addresses.hpp"

namespace ff::sip {
namespace {

using calls::EndReason;

// What the answers to the in-dialog probes say about the far end: no such dialog (481) or no answer (408)
// at once; server errors (the stack's own 503 when nothing listens there any more) three times in a row.
bool leg_gone_after_probe(CallLeg& leg, const NuaEvent& event) {
    if (event.status == 408 || event.status == 481) return true;
    return leg.count_probe_failure(event.status >= 500) >= 3;
}

// The status line a NOTIFY about a REFER carries ("SIP/2.0 200 OK"); 0 when it is not one.
int sipfrag_status(const sip_t* sip) {
    if (sip == nullptr || sip->sip_payload == nullptr) return 0;
    const std::string_view body(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    constexpr std::string_view prefix = "SIP/2.0 ";
    if (body.substr(0, prefix.size()) != prefix || body.size() < prefix.size() + 3) return 0;
    int status = 0;
    for (char digit : body.substr(prefix.size(), 3)) {
        if (digit < '0' || digit > '9') return 0;
        status = status * 10 + (digit - '0');
    }
    return status;
}

}  // namespace

Bridge::Bridge(BridgeContext& context, BridgeFlow flow, LineConfig line)
    : context_(context), line_(std::move(line)) {
    state_.flow = flow;
    call_.id = calls::new_uuid();
    call_.extension = line_.extension();
    media_ = std::make_unique<CallMedia>(context_.media, call_.id);
    if (media_->records_from_start()) call_.recording = calls::Recording{};
    timer_ = su_timer_create(su_root_task(context_.root), 0);
    probe_timer_ = su_timer_create(su_root_task(context_.root), 0);
}

Bridge::~Bridge() {
    if (timer_ != nullptr) su_timer_destroy(timer_);
    if (probe_timer_ != nullptr) su_timer_destroy(probe_timer_);
}

std::unique_ptr<Bridge> Bridge::inbound(BridgeContext& context, nua_handle_t* handle, const sip_t* invite,
                                        LineConfig line, std::optional<calls::QueueConfig> queue) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, BridgeFlow::inbound, std::move(line)));
    if (queue && context.queues != nullptr) {
        bridge->state_.queued = true;
        bridge->queue_ = queue->extension;
        bridge->queue_ring_time_ = queue->ring_time;
    }
    bridge->customer_ = std::make_unique<CallLeg>(handle, CallLeg::Side::pbx, true);
    bridge->customer_->use_credentials(bridge->line_.user);
    nua_handle_bind(handle, static_cast<NuaEventSink*>(bridge.get()));
    bridge->customer_->remember_remote_sdp(sdp_of(invite));
    bridge->state_.late_offer = bridge->customer_->remote_sdp().empty();
    bridge->state_.music_while_queued =
        bridge->state_.queued && !bridge->state_.late_offer && bridge->media_->plays_music();

    calls::Call call = bridge->call_;
    call.direction = calls::Direction::inbound;
    call.from = caller_number(invite, context.options.caller_id_order);
    call.to = bridge->line_.extension();
    call.dialled_number = dialled_number(invite, context.options.dialled_number_order,
                                         {bridge->line_.extension(), bridge->line_.user.username});
    call.ivr_choice = ivr_choice(invite, context.options.ivr_header);
    if (invite->sip_call_id != nullptr) call.sip_call_id = invite->sip_call_id->i_id;
    bridge->admit(std::move(call));
    return bridge;
}

std::unique_ptr<Bridge> Bridge::from_phone(BridgeContext& context, nua_handle_t* handle, const sip_t* invite,
                                           LineConfig line) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, BridgeFlow::from_phone, std::move(line)));
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
                                              std::string number, std::string ring_only, LineConfig line,
                                              Completion done) {
    std::unique_ptr<Bridge> bridge(new Bridge(context, BridgeFlow::click_to_call, std::move(line)));
    bridge->dial_ = std::move(request);
    bridge->dial_number_ = std::move(number);
    bridge->ring_only_ = std::move(ring_only);
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
    if (!state_.reported_end && !state_.detached) return false;
    if (gave_up_) return true;
    for (const auto* leg : {customer_.get(), phone_.get(), target_.get()}) {
        if (leg != nullptr && !leg->terminated()) return false;
    }
    return std::all_of(released_.begin(), released_.end(),
                       [](const auto& leg) { return leg->terminated(); }) &&
           forks_.empty();
}

// ---- decisions in, actions out ----------------------------------------------------------------------------

BridgeEvent Bridge::leg_event(BridgeEvent::Kind kind, BridgeLeg leg) const {
    BridgeEvent event;
    event.kind = kind;
    event.leg = leg;
    event.both_legs = customer_ && phone_;
    event.has_customer = customer_ != nullptr;
    event.has_target = target_ != nullptr;
    return event;
}

BridgeDecision Bridge::handle(const BridgeEvent& event) {
    return handle(event, Carry());
}

BridgeDecision Bridge::handle(const BridgeEvent& event, Carry carry) {
    const bool was_relaying = state_.pending == PendingCommand::relay;
    BridgeDecision decision = decide(state_, event);
    carry_out(decision, carry);
    if (was_relaying && state_.pending != PendingCommand::relay) relay_from_ = nullptr;  // answered
    return decision;
}

// ---- admission -------------------------------------------------------------------------------------------

void Bridge::admit(calls::Call call) {
    context_.hooks.admit(std::move(call),
                         [this](calls::Result<calls::Call> created) { on_admitted(std::move(created)); });
}

void Bridge::on_admitted(calls::Result<calls::Call> created) {
    BridgeEvent event = leg_event(BridgeEvent::Kind::admitted, BridgeLeg::customer);
    Carry carry;
    event.ok = static_cast<bool>(created);
    if (!created) {
        spdlog::error("call {}: cannot be created: {}", call_.id, created.error().message);
        carry.error_code = created.error().code;
        carry.error_message = created.error().message;
        handle(event, std::move(carry));
        return;
    }
    call_ = created.value();
    event.phones_registered = state_.flow != BridgeFlow::inbound || state_.queued ||
                              !context_.phones.contacts(line_.extension()).empty();
    if (!event.phones_registered && state_.deferred_end == EndReason::none)
        spdlog::info("call {}: extension {} has no phone registered; the PBX gets 480", call_.id,
                     line_.extension());
    handle(event, std::move(carry));
}

// ---- ringing the operator's phones
// --------------------------------------------------------------------------

void Bridge::ring_phones(bool auto_answer) {
    // The line's phones; a queued caller's: the phones of the members offered, each fork knowing its member.
    std::vector<std::pair<DeviceContact, std::string>> targets;
    for (const auto& extension : state_.queued ? members_rung_ : std::vector<std::string>{line_.extension()}) {
        for (auto& contact : context_.phones.contacts(extension)) targets.emplace_back(std::move(contact), extension);
    }
    if (!ring_only_.empty())
        std::erase_if(targets, [this](const auto& target) { return target.first.contact != ring_only_; });
    if (auto_answer && targets.size() > 1) targets.resize(1);  // one phone picks up, not all of them
    const std::string caller = call_.remote_number();
    const std::string from = "\"" + caller + "\" <sip:" + caller + "@" +
                             (line_.server.empty() ? std::string("pjsip-service.invalid") : line_.server) +
                             ">";
    const std::string headers = auto_answer
                                    ? "Call-Info: <sip:" + line_.extension() +
                                          "@pjsip-service.invalid>;answer-after=0\r\n"
                                          "Alert-Info: <http://pjsip-service.invalid>;info=alert-autoanswer"
                                    : std::string();
    // Inbound: the customer's offer, from the PBX's INVITE, made fit for the phones once (re-rung phones
    // reuse it). Click-to-call: offerless, the phone offers.
    // A caller waiting with the music: its offer is being made fit; the members ring once it is.
    if (state_.music_while_queued && !phones_offer_) return;
    if (state_.flow != BridgeFlow::click_to_call && !phones_offer_) {
        media_->offer(MediaParty::customer, customer_->remote_sdp(), [this, auto_answer](const std::string& sdp) {
            phones_offer_ = sdp;
            if (!ended() && state_.phase == BridgePhase::ringing && forks_.empty() && !phone_ &&
                (!state_.queued || state_.offered))
                ring_phones(auto_answer);
        });
        return;
    }
    const std::string offer = state_.flow == BridgeFlow::click_to_call ? std::string() : *phones_offer_;
    // A browser phone's page shows the call's card: it learns which call rings from this header.
    const std::string page_headers = std::string(call_id_header) + ": " + call_.id +
                                     (headers.empty() ? std::string() : "\r\n" + headers);
    for (const auto& [contact, member] : targets) {
        auto fork = new_leg(CallLeg::Side::phone, contact.uri, from);
        if (!fork) continue;
        fork->invite(offer, contact.user_agent == browser_phone_agent ? page_headers : headers);
        member_of_fork_[fork.get()] = member;
        forks_.push_back(std::move(fork));
    }
    if (forks_.empty()) handle(leg_event(BridgeEvent::Kind::no_phone_rung, BridgeLeg::fork));
}

void Bridge::on_fork_event(CallLeg& fork, const NuaEvent& event) {
    if (event.event != nua_r_invite) return;
    BridgeEvent answer = leg_event(BridgeEvent::Kind::answer, BridgeLeg::fork);
    answer.status = event.status;
    Carry carry(&fork);
    if (event.status >= 200) {  // a final answer takes the fork out of the ringing ones
        auto found =
            std::find_if(forks_.begin(), forks_.end(), [&](const auto& leg) { return leg.get() == &fork; });
        if (found == forks_.end()) return;
        carry.fork = std::move(*found);
        forks_.erase(found);
        answer.last_fork = forks_.empty() && !phone_;
    }
    handle(answer, std::move(carry));
}

// ---- the customer's leg through the PBX -------------------------------------------------------------------

void Bridge::call_customer() {
    const bool click = state_.flow == BridgeFlow::click_to_call;
    const std::string number = click ? dial_number_ : call_.to;
    // Click-to-call: what the phone offered in its 200; from the phone: what it offered in its INVITE.
    const std::string offer = click ? phone_offer_ : phone_->remote_sdp();
    media_->offer(MediaParty::operator_side, offer, [this, number](const std::string& sdp) {
        if (ended()) return;  // the phone hung up meanwhile
        customer_ = new_leg(CallLeg::Side::pbx, customer_uri(number), line_uri());
        if (!customer_) {
            handle(leg_event(BridgeEvent::Kind::customer_unreachable, BridgeLeg::customer));
            return;
        }
        customer_->invite(sdp);
        Carry none;
        carry_out(BridgeAction::arm_customer_ring_timer, {}, none);
    });
}

MediaParty Bridge::party_of(const CallLeg* leg) const {
    return leg == customer_.get() ? MediaParty::customer : MediaParty::operator_side;
}

void Bridge::answer_update_here(CallLeg& leg) {
    if (!leg.update_has_offer()) return leg.respond_update(200);  // a session refresh
    const std::string answer = (&leg == customer_.get() || &leg == phone_.get()) ? current_sdp_for(&leg) : std::string();
    // An offer with nothing to answer it with (the call is not connected yet): 488, the offer is refused.
    leg.respond_update(answer.empty() ? 488 : 200, answer);
}

void Bridge::answer_relayed(CallLeg& leg, int status, const std::string& sdp) {
    // One relayed request at a time: when the leg waits on an UPDATE, that is the one relayed (an UPDATE
    // that is not relayed is answered at once).
    if (leg.update_pending()) return leg.respond_update(status, sdp);
    leg.respond(status, sdp);
}

std::string Bridge::current_sdp_for(const CallLeg* leg) const {
    if (media_->anchored()) return media_->last_sent_to(party_of(leg));
    const CallLeg* other = leg == customer_.get() ? phone_.get() : customer_.get();
    return other != nullptr ? other->remote_sdp() : std::string();
}

// ---- every leg's events once it carries the call (customer, phone) or is offered it (transfer target)

void Bridge::on_leg_event(CallLeg& leg, BridgeLeg role, const NuaEvent& event) {
    using Kind = BridgeEvent::Kind;
    Carry carry(&leg);
    BridgeEvent decided = leg_event(Kind::answer, role);
    decided.status = event.status;
    decided.phrase = event.phrase != nullptr ? event.phrase : "";
    switch (event.event) {
        case nua_r_invite:
            decided.answers_relay = relay_from_ != nullptr && relay_from_ != &leg;
            decided.has_sdp = !sdp_of(event.sip).empty();
            if (role == BridgeLeg::customer && state_.phase == BridgePhase::connecting &&
                event.status >= 200 && !is_success(event.status))
                spdlog::info("call {}: the customer's side answered {} {}", call_.id, event.status,
                             decided.phrase);
            if (role == BridgeLeg::target && event.status >= 200 && !is_success(event.status))
                spdlog::info("call {}: transfer target {} answered {}", call_.id, transfer_target_,
                             event.status);
            break;
        case nua_i_bye:
            decided.kind = Kind::bye;
            break;
        case nua_i_cancel:
            decided.kind = Kind::cancel;
            break;
        case nua_i_invite:
        case nua_i_update:
            decided.kind = Kind::reinvite;
            decided.is_update = carry.update = event.event == nua_i_update;
            decided.leg_answered = leg.answered();
            carry.offer = sdp_of(event.sip);
            decided.has_offer = !carry.offer.empty();
            decided.offer_holds = is_hold(carry.offer);
            break;
        case nua_i_ack:
            decided.kind = Kind::ack;
            decided.has_offer = !sdp_of(event.sip).empty();
            decided.sdp_changed = leg.remote_sdp_changed();
            break;
        case nua_i_refer:  // the operator transferred the call from the phone
            if (role == BridgeLeg::phone) on_phone_refer(event);
            return;
        case nua_r_refer:
        case nua_i_notify:
            if (role != BridgeLeg::customer) return;
            decided.kind = event.event == nua_r_refer ? Kind::refer_answer : Kind::refer_notify;
            if (event.event == nua_i_notify) decided.status = sipfrag_status(event.sip);
            break;
        case nua_r_options:
            if (role == BridgeLeg::target || !leg_gone_after_probe(leg, event)) return;
            spdlog::warn("call {}: {} is gone ({}); ending the call", call_.id,
                         role == BridgeLeg::customer ? "the PBX's side" : "the operator's phone",
                         event.status);
            decided.kind = Kind::probe_failed;
            break;
        default:
            return;
    }
    // A transfer target matters by its answers, and by its BYE while it talks with the operator.
    if (role == BridgeLeg::target && decided.kind != Kind::answer && decided.kind != Kind::bye) return;
    const BridgeDecision decision = handle(decided, std::move(carry));
    if (decided.is_update && leg.update_pending() && relay_from_ != &leg) answer_update_here(leg);
    if (decision.has(BridgeAction::join_target))
        spdlog::info("call {}: the PBX did not join the customer with {} ({}); joining them here", call_.id,
                     transfer_target_, decided.status);
    if (decided.kind != Kind::refer_notify) return;
    if (decision.has(BridgeAction::end))
        spdlog::info("call {}: transferred to {} by the PBX", call_.id, transfer_target_);
    if (decision.has(BridgeAction::report_transfer_failed))
        spdlog::info("call {}: the transfer to {} failed ({})", call_.id, transfer_target_, decided.status);
}

// ---- reporting
// ---------------------------------------------------------------------------------------------

void Bridge::report(calls::Transition change, Completion done) {
    if (!state_.admitted) {
        complete(done, calls::make_error(calls::ErrorCode::invalid_state, "the call is being set up"));
        return;
    }
    context_.hooks.apply(call_.id, std::move(change), std::move(done));
}

void Bridge::end(EndReason reason, Completion done) {
    const bool phone_is_pbx_leg = phone_ && phone_->side() == CallLeg::Side::pbx;
    const EndPlan plan = plan_end(state_, reason, phone_is_pbx_leg);
    if (plan.already_ended) return complete(done, call_);
    if (state_.queued && context_.queues != nullptr) context_.queues->leave(call_.id);
    su_timer_reset(timer_);
    su_timer_reset(probe_timer_);
    if (plan.refuse_pending && pending_done_)
        refuse(pending_done_, calls::ErrorCode::invalid_state, "the call ended");
    if (!plan.detach) {  // detached: customer and target keep talking through us
        release(customer_, plan.customer_refusal);
        release_all();
    }
    if (plan.deferred) return;
    // A leg that never confirms its end must not keep the bridge forever.
    if (plan.arm_give_up) arm_timer(std::chrono::seconds(40), [this] { gave_up_ = true; });
    // The end reaches the model with what each direction carried (rtpengine's counters, read before its
    // delete), so that the log, the stream and the statistics see a "no audio" call as one. A round trip on
    // loopback; rtpengine not answering delays the end by its timeout, and a stack shutting down does not wait.
    // A recorded call goes on to its file once the model has ended it (then it knows whether it is wanted).
    auto ended = [apply = context_.hooks.apply, recorded = context_.media.recorded, call_id = call_.id, reason,
                  at = calls::now_ms(), done = std::move(done)](std::optional<calls::MediaReport> media,
                                                                 std::optional<RecordedCall> recording) mutable {
        apply(call_id, calls::transition::Ended{reason, at, std::move(media)},
              [recorded, recording = std::move(recording), done = std::move(done)](calls::Result<calls::Call> result) mutable {
                  if (recording && recorded) {
                      recording->wanted = result.ok() && result.value().recording &&
                                          result.value().recording->status == calls::RecordingStatus::processing;
                      recorded(std::move(*recording));
                  }
                  if (done) done(std::move(result));
              });
    };
    if (context_.media.closing) return ended(std::nullopt, std::nullopt);
    media_->finish(std::move(ended));
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
    const BridgeLeg role = leg == customer_.get() ? BridgeLeg::customer
                           : leg == phone_.get()  ? BridgeLeg::phone
                           : leg == target_.get() ? BridgeLeg::target
                                                  : BridgeLeg::fork;
    // Every UPDATE needs an answer from us (the stack leaves UPDATE to the application); one on a leg that
    // no longer carries the call, or after the call left us, is answered at once.
    if (event.event == nua_i_update && event.status < 200) {
        leg->take_update(nua_current_request(context_.nua));
        if (state_.detached || (role != BridgeLeg::customer && role != BridgeLeg::phone))
            return answer_update_here(*leg);
    }
    // Legs already let go (the operator's phone after a transfer) end on their own; only the two that carry
    // the call matter when a leg is gone.
    const bool carries_call = role == BridgeLeg::customer || role == BridgeLeg::phone;
    if (event.event == nua_i_state) {
        if (leg->terminated() && carries_call) handle(leg_event(BridgeEvent::Kind::gone, role), Carry(leg));
        return;
    }
    if (state_.detached) {
        if (event.event == nua_i_bye && carries_call)
            handle(leg_event(BridgeEvent::Kind::gone, role), Carry(leg));
        return;
    }
    if (role != BridgeLeg::fork) return on_leg_event(*leg, role, event);
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
            if (bridge->state_.phase != BridgePhase::talking) return;
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
