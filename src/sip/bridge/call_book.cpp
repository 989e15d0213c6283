// Where a new INVITE belongs. A line's INVITE must come from its PBX: anybody else who wants a call put
// through must prove to be an operator's phone.
#include "sip/bridge/call_book.hpp"

#include <netdb.h>
#include <sofia-sip/sip_status.h>
#include <spdlog/spdlog.h>

#include "sip/phones/device_registrar.hpp"
#include "sip/stack/status_phrase.hpp"

namespace ff::sip {
namespace {

constexpr su_duration_t sweep_interval_ms = 1000;

// The address a request came from: Via's received= when the stack added it, else its sent-by host.
std::string source_host(const sip_t* sip) {
    if (sip == nullptr || sip->sip_via == nullptr) return {};
    const sip_via_t* via = sip->sip_via;
    if (via->v_received != nullptr) return via->v_received;
    return via->v_host != nullptr ? via->v_host : "";
}

// Whether `host` (an address) is the PBX `server` (an address or a name that resolves to it).
bool same_host(const std::string& host, const std::string& server) {
    if (host.empty() || server.empty()) return false;
    if (host == server) return true;
    addrinfo hints{};
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    if (getaddrinfo(server.c_str(), nullptr, &hints, &found) != 0) return false;
    bool same = false;
    for (addrinfo* entry = found; entry != nullptr && !same; entry = entry->ai_next) {
        char text[NI_MAXHOST] = {};
        if (getnameinfo(entry->ai_addr, entry->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) ==
            0)
            same = host == text;
    }
    freeaddrinfo(found);
    return same;
}

}  // namespace

CallBook::CallBook(BridgeContext context)
    : context_(std::move(context)),
      sweep_timer_(su_timer_create(su_root_task(context_.root), sweep_interval_ms)),
      queues_(QueueRouter::Hooks{
          context_.hooks.member_available,
          [this](const calls::QueueOffer& offer) {
              offers_.push_back(offer);
              if (offer_timer_ != nullptr) su_timer_set_interval(offer_timer_, &CallBook::deliver_offers, this, 0);
          },
          [this](const std::string& call_id, const calls::QueueConfig& queue) {
              if (const auto found = bridges_.find(call_id); found != bridges_.end())
                  found->second->queue_overdue(queue.overflow_number);
          },
          context_.hooks.queue_changed}),
      offer_timer_(su_timer_create(su_root_task(context_.root), 0)),
      admission_(context_.options.admission) {
    context_.queues = &queues_;
    su_timer_set_for_ever(sweep_timer_, &CallBook::sweep_fired, this);
}

CallBook::~CallBook() {
    if (sweep_timer_ != nullptr) su_timer_destroy(sweep_timer_);
    if (grace_timer_ != nullptr) su_timer_destroy(grace_timer_);
    if (offer_timer_ != nullptr) su_timer_destroy(offer_timer_);
}

void CallBook::configure_queues(std::vector<calls::QueueConfig> queues) {
    queues_.configure(std::move(queues));
}

void CallBook::operator_changed(const calls::OperatorStatus& status) {
    auto& last = operator_states_[status.extension];
    if (last == calls::OperatorState::oncall && status.state != calls::OperatorState::oncall)
        queues_.member_finished(status.extension);
    last = status.state;
    queues_.reconsider();
}

void CallBook::deliver_offers(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto& book = *static_cast<CallBook*>(arg);
    auto offers = std::move(book.offers_);
    book.offers_.clear();
    for (auto& offer : offers) {
        const auto found = book.bridges_.find(offer.call_id);
        if (found == book.bridges_.end()) {
            book.queues_.leave(offer.call_id);  // the caller's bridge is gone
            continue;
        }
        found->second->queue_offer(std::move(offer.extensions));
    }
}

// A new call past the service's limits gets 503 with Retry-After at once, before any work is done for it.
bool CallBook::refused_over_limit(const NuaEvent& event) {
    const auto verdict = admit();
    if (verdict.admitted) return false;
    const std::string retry_after = std::to_string(verdict.retry_after.count());
    nua_respond(event.handle, 503, static_phrase(503), SIPTAG_RETRY_AFTER_STR(retry_after.c_str()), TAG_END());
    return true;
}

bool CallBook::observe_delay(std::chrono::milliseconds delay) {
    const bool was_shedding = admission_.shedding();
    admission_.observe_delay(delay);
    if (admission_.shedding() != was_shedding) {
        if (admission_.shedding())
            spdlog::warn("SIP thread {} ms late: new calls are refused with 503 until it catches up (SIP_MAX_DELAY_MS)",
                         delay.count());
        else
            spdlog::info("SIP thread back to {} ms late: new calls are taken again", delay.count());
    }
    return admission_.shedding();
}

CallAdmission::Verdict CallBook::admit() {
    const auto now = std::chrono::steady_clock::now();
    auto verdict = admission_.admit(bridges_.size(), now);
    if (verdict.admitted) return verdict;
    ++refused_unlogged_;
    if (now - refusals_logged_ >= std::chrono::seconds(1)) {
        spdlog::warn("new calls refused with 503 ({} in the last second or so): {}", refused_unlogged_, verdict.reason);
        refusals_logged_ = now;
        refused_unlogged_ = 0;
    }
    return verdict;
}

std::optional<LineConfig> CallBook::line_called(const sip_t* invite) const {
    const url_t* target = invite->sip_request->rq_url;
    if (target == nullptr || target->url_user == nullptr) return std::nullopt;
    const std::string user = target->url_user;
    const auto line = context_.line(user);
    if (!line || !same_host(source_host(invite), line->server)) return std::nullopt;
    return line;
}

void CallBook::on_invite(const NuaEvent& event) {
    if (event.sip == nullptr || event.sip->sip_request == nullptr) {
        nua_respond(event.handle, SIP_400_BAD_REQUEST, TAG_END());
        return;
    }
    if (auto line = line_called(event.sip)) {
        // A queue's line: the caller waits in the queue, whatever any one operator's state.
        if (auto queue = queues_.queue_on(line->extension())) {
            if (refused_over_limit(event)) return;
            add(Bridge::inbound(context_, event.handle, event.sip, std::move(*line), std::move(queue)));
            return;
        }
        // A busy operator is busy at every instance (their states are shared): each answers 486, so that the PBX
        // forking the call to all of them hears one answer.
        const auto& busy = context_.hooks.line_busy;
        if (busy && busy(line->extension())) {
            spdlog::info("inbound call to {}: the operator is busy (BUSY_WHEN); 486", line->extension());
            nua_respond(event.handle, SIP_486_BUSY_HERE, TAG_END());
            return;
        }
        // Every instance registers the line, so the PBX forks the call to each: the one with the phone takes it.
        const auto& leave = context_.hooks.leave_inbound_to_others;
        if (leave && context_.phones.contacts(line->extension()).empty() && leave(line->extension())) {
            spdlog::debug("inbound call to {}: another instance has the phone; 480 here", line->extension());
            nua_respond(event.handle, 480, static_phrase(480), TAG_END());
            return;
        }
        if (refused_over_limit(event)) return;
        add(Bridge::inbound(context_, event.handle, event.sip, std::move(*line)));
        return;
    }
    const auto extension = context_.phones.authenticate(event);
    if (!extension) return;  // challenged or refused by the registrar
    auto line = context_.line(*extension);
    if (!line || line->server.empty()) {
        nua_respond(event.handle, 503, "No PBX Configured For This Line", TAG_END());
        return;
    }
    if (refused_over_limit(event)) return;
    add(Bridge::from_phone(context_, event.handle, event.sip, std::move(*line)));
}

void CallBook::dial(calls::DialRequest request, const std::string& number, const std::string& ring_only,
                    Completion done) {
    auto line = context_.line(request.extension);
    if (!line)
        return done(
            calls::make_error(calls::ErrorCode::not_found, "no line for extension " + request.extension));
    if (line->server.empty())
        return done(calls::make_error(calls::ErrorCode::unavailable, "no PBX is configured (SIP_SERVER)"));
    if (context_.phones.contacts(request.extension).empty())
        return done(calls::make_error(calls::ErrorCode::unavailable,
                                      "the phone of extension " + request.extension +
                                          " is not registered to the service: it must ring first"));
    if (const auto verdict = admit(); !verdict.admitted)
        return done(calls::make_error(calls::ErrorCode::unavailable, "no new call now: " + verdict.reason));
    add(Bridge::click_to_call(context_, std::move(request), number, ring_only, std::move(*line), std::move(done)));
}

void CallBook::with_call(const std::string& call_id, const Completion& done,
                         const std::function<void(Bridge&)>& command) {
    const auto found = bridges_.find(call_id);
    if (found == bridges_.end())
        return done(
            calls::make_error(calls::ErrorCode::not_found, "no active call " + call_id + " on this service"));
    command(*found->second);
}

void CallBook::hang_up_all(std::chrono::milliseconds grace) {
    // Each call is reported ended now; only the confirmations of its BYE/CANCEL are waited for.
    context_.media.closing = true;
    for (auto& [id, bridge] : bridges_) bridge->hangup({});
    if (grace_timer_ == nullptr) grace_timer_ = su_timer_create(su_root_task(context_.root), 0);
    if (grace_timer_ != nullptr)
        su_timer_set_interval(grace_timer_, &CallBook::grace_over, this,
                              static_cast<su_duration_t>(grace.count()));
}

void CallBook::grace_over(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto& book = *static_cast<CallBook*>(arg);
    book.sweep();
    if (book.bridges_.empty()) return;
    spdlog::warn("SIP shutdown: {} call(s) still waiting for the far end to confirm the hangup; dropped",
                 book.bridges_.size());
    // Destroying a bridge destroys its legs' handles: NUA stops waiting for their transactions.
    book.bridges_.clear();
}

void CallBook::add(std::unique_ptr<Bridge> bridge) {
    if (!bridge) return;
    const std::string id = bridge->call_id();
    bridges_.emplace(id, std::move(bridge));
    heap_trim_.activity();
}

void CallBook::sweep() {
    queues_.tick();
    if (std::erase_if(bridges_, [](const auto& entry) { return entry.second->finished(); }) > 0)
        heap_trim_.activity();
    heap_trim_.tick();
}

void CallBook::sweep_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<CallBook*>(arg)->sweep();
}

}  // namespace ff::sip
