// The bridge's hands: each action of a decision (bridge_decisions.hpp) carried out on the legs, the timers
// and the call model.
#include <spdlog/spdlog.h>

#include "sip/bridge/bridge.hpp"
#include "sip/bridge/sdp_rewrite.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/queues/queue_router.hpp"

namespace ff::sip {

void Bridge::carry_out(const BridgeDecision& decision, Carry& carry) {
    for (const BridgeAction action : decision.actions) carry_out(action, decision, carry);
}

void Bridge::carry_out(BridgeAction action, const BridgeDecision& decision, Carry& carry) {
    using Action = BridgeAction;
    switch (action) {
        case Action::refuse_dial:
            refuse(dial_done_, carry.error_code, carry.error_message);
            return;
        case Action::complete_dial:
            if (auto done = std::move(dial_done_)) done(call_);
            return;
        case Action::release_all:
            release_all();
            return;
        case Action::ring_phones:
            ring_phones(state_.flow == BridgeFlow::click_to_call && dial_.auto_answer);
            return;
        case Action::ring_phones_auto_answer:
            ring_phones(true);
            return;
        case Action::cancel_forks:
            for (auto& fork : forks_) release(fork);
            forks_.clear();
            return;
        case Action::arm_phone_ring_timer:
            arm_timer(context_.options.phone_ring_timeout, [this] {
                if (handle(leg_event(BridgeEvent::Kind::phone_ring_timeout, BridgeLeg::phone))
                        .has(Action::end))
                    spdlog::info("call {}: the operator's phone did not pick up", call_.id);
            });
            return;
        case Action::arm_customer_ring_timer:
            arm_timer(context_.options.customer_ring_timeout, [this] {
                if (handle(leg_event(BridgeEvent::Kind::customer_ring_timeout, BridgeLeg::customer))
                        .has(Action::end))
                    spdlog::info("call {}: the customer did not pick up", call_.id);
            });
            return;
        case Action::stop_timer:
            su_timer_reset(timer_);
            return;
        case Action::join_queue:
            context_.queues->join(queue_, call_.id, call_.remote_number());
            return;
        case Action::offer_to_members:
            // One member: the call is theirs while it rings. Several (ringall): it stays the queue's, offered to
            // all of them. Either way their consoles open the caller's card.
            offer_in_model(members_rung_);
            return;
        case Action::arm_queue_ring_timer:
            arm_timer(queue_ring_time_, [this] { handle(leg_event(BridgeEvent::Kind::queue_ring_timeout, BridgeLeg::fork)); });
            return;
        case Action::queue_offer_failed:
            members_rung_.clear();
            member_of_fork_.clear();
            context_.queues->offer_failed(call_.id);
            // Nobody else free at once: the call goes back to the queue's line, and the card closes at the
            // members who did not answer.
            if (!context_.queues->offered(call_.id)) offer_in_model({queue_});
            return;
        case Action::queue_answered: {
            const auto member = member_of_fork_.find(phone_.get());
            const std::string extension = member == member_of_fork_.end() ? line_.extension() : member->second;
            member_of_fork_.clear();
            members_rung_.clear();
            context_.queues->answered(call_.id, extension);
            offer_in_model({extension});
            return;
        }
        case Action::leave_queue:
            context_.queues->leave(call_.id);
            return;
        case Action::start_probes:
            start_probes();
            return;
        case Action::call_customer:
            call_customer();
            return;
        case Action::ringing_to_customer:
            customer_->respond(180);
            return;
        case Action::answer_caller_with_music:
            answer_with_music();
            return;
        case Action::connect_member:  // the caller hears the member: rtpengine's answer with the member's media
            media_->stop_music(MediaParty::customer);
            media_->answer(MediaParty::customer, phone_->remote_sdp(), [this](const std::string& sdp) {
                if (customer_ && !ended()) customer_->invite(sdp);
            });
            return;
        case Action::provisional_to_phone:  // early media: the customer's side answers the phone's offer
            media_->answer(MediaParty::operator_side, customer_->remote_sdp(),
                           [this, status = decision.status](const std::string& sdp) {
                               if (phone_ && !ended()) phone_->respond(status, sdp);
                           });
            return;
        case Action::drop_fork:
            released_.push_back(std::move(carry.fork));
            return;
        case Action::fork_becomes_phone:
            phone_ = std::move(carry.fork);
            for (auto& other : forks_) release(other);
            forks_.clear();
            return;
        case Action::answer_customer:
            media_->answer(MediaParty::customer, phone_->remote_sdp(), [this](const std::string& sdp) {
                if (customer_) customer_->respond(200, sdp);
            });
            return;
        case Action::offer_to_customer:  // late offer: the phone offered in its 200; the PBX answers in its ACK
            media_->offer(MediaParty::operator_side, phone_->remote_sdp(), [this](const std::string& sdp) {
                if (customer_ && !ended()) customer_->respond(200, sdp);
            });
            return;
        case Action::ack_phone: {  // late offer: the PBX's answer from its ACK completes the phone's 200
            const std::string answer = customer_ ? customer_->remote_sdp() : std::string();
            if (answer.empty()) {
                const std::string offer = phone_->remote_sdp();
                phone_->ack(black_hole_answer(offer).value_or(offer));
                return;
            }
            media_->answer(MediaParty::operator_side, answer, [this](const std::string& sdp) {
                if (phone_) phone_->ack(sdp);
            });
            return;
        }
        case Action::answer_phone:
            media_->answer(MediaParty::operator_side, customer_->remote_sdp(), [this](const std::string& sdp) {
                if (phone_) phone_->respond(200, sdp);
            });
            return;
        case Action::reinvite_phone:  // the phone leaves the black hole: now it hears the customer
            media_->answer(MediaParty::operator_side, customer_->remote_sdp(), [this](const std::string& sdp) {
                if (phone_ && !ended()) phone_->invite(sdp);
            });
            return;
        case Action::park_phone:
            phone_offer_ = phone_->remote_sdp();
            phone_->ack(black_hole_answer(phone_offer_).value_or(phone_offer_));
            return;
        case Action::release_phone:
            release(phone_, decision.status);
            return;
        case Action::release_customer:
            release(customer_);
            return;
        case Action::hang_up_legs:
            if (customer_) customer_->hang_up();
            if (phone_) phone_->hang_up();
            return;
        case Action::relay_reinvite: {
            const bool from_customer = carry.leg == customer_.get();
            relay_from_ = carry.leg;
            // Hold pressed on the phone, with music: the customer's stream stays two-way as with a hold from the
            // CRM (a customer's phone told "sendonly" may stop playing what it receives), and the phone gets
            // the answer its hold asked for.
            phone_hold_answer_.reset();
            if (!from_customer && media_->plays_music() && is_hold(carry.offer)) {
                phone_hold_answer_ = media_direction(carry.offer) == MediaDirection::sendonly ? MediaDirection::recvonly
                                                                                               : MediaDirection::inactive;
            }
            media_->offer(party_of(carry.leg), carry.offer, [this, from_customer](const std::string& sdp) {
                CallLeg* to = from_customer ? phone_.get() : customer_.get();
                if (to == nullptr || ended()) return;
                to->invite(phone_hold_answer_ ? with_direction(sdp, MediaDirection::sendrecv).value_or(sdp) : sdp);
            });
            return;
        }
        case Action::answer_reinvite_locally:
            if (carry.update) return answer_update_here(*carry.leg);
            carry.leg->respond(200, current_sdp_for(carry.leg));
            return;
        case Action::relay_answer:
            // relay_from_ is cleared once this decision is carried out; the leg itself lives as long as the bridge.
            media_->answer(party_of(relay_from_), carry.leg->remote_sdp(),
                           [this, from = relay_from_, hold = phone_hold_answer_](const std::string& sdp) {
                               if (from != customer_.get() && from != phone_.get()) return;
                               answer_relayed(*from, 200, hold ? with_direction(sdp, *hold).value_or(sdp) : sdp);
                           });
            return;
        case Action::relay_failure:
            answer_relayed(*relay_from_, decision.status);
            return;
        case Action::relay_ack_answer: {
            // Nobody waits for the other leg's answer: relay_from_ stays empty, so it goes nowhere.
            const bool from_customer = carry.leg == customer_.get();
            media_->offer(party_of(carry.leg), carry.leg->remote_sdp(), [this, from_customer](const std::string& sdp) {
                CallLeg* to = from_customer ? phone_.get() : customer_.get();
                if (to != nullptr && !ended()) to->invite(sdp);
            });
            return;
        }
        case Action::send_hold:
        case Action::send_unhold: {
            // With music on hold the customer's stream stays two-way: rtpengine plays into it (a phone told
            // "sendonly" may stop playing what it receives, as baresip does).
            const auto direction = action == Action::send_hold && !media_->plays_music() ? MediaDirection::sendonly
                                                                                         : MediaDirection::sendrecv;
            const auto phone_direction =
                action == Action::send_hold ? MediaDirection::inactive : MediaDirection::sendrecv;
            customer_->invite(*with_direction(current_sdp_for(customer_.get()), direction));
            phone_->invite(*with_direction(current_sdp_for(phone_.get()), phone_direction));
            return;
        }
        case Action::refer_to_pbx:
            customer_->refer(customer_uri(transfer_target_));
            return;
        case Action::call_target_phone:
            transfer_by_new_leg(context_.phones.contacts(transfer_target_).front().uri, true);
            return;
        case Action::call_target_number:
            spdlog::info("call {}: the PBX refused REFER; calling {} ourselves", call_.id, transfer_target_);
            transfer_by_new_leg(customer_uri(transfer_target_), false);
            return;
        case Action::release_target:
            release(target_);
            return;
        case Action::target_becomes_phone:
            // The customer now talks to the target; the operator's phone is let go.
            media_->answer(MediaParty::customer, target_->remote_sdp(), [this](const std::string& sdp) {
                if (customer_) customer_->invite(sdp);
            });
            release(phone_);
            phone_ = std::move(target_);
            return;
        case Action::call_consult_target:
            consult_by_new_leg();
            return;
        case Action::phone_to_target:  // the operator now talks with the target
            if (phone_ && target_) phone_->invite(two_way(target_->remote_sdp()));
            return;
        case Action::join_target:  // the target gets the customer's media; its answer joins the two
            media_->stop_music(MediaParty::customer);
            media_->offer(MediaParty::customer, two_way(customer_->remote_sdp()),
                          [this](const std::string& sdp) {
                              if (target_) target_->invite(sdp);
                          });
            return;
        case Action::refer_replaces: {
            const std::string replaces = target_ ? target_->escaped_replaces() : std::string();
            std::string uri = customer_uri(transfer_target_);
            if (!replaces.empty()) uri = "<" + uri + "?Replaces=" + replaces + ">";
            spdlog::info("call {}: asking the PBX to join the customer with {} (REFER with Replaces)", call_.id,
                         transfer_target_);
            customer_->refer(uri);
            return;
        }
        case Action::back_to_customer:
            media_->stop_music(MediaParty::customer);
            if (customer_) customer_->invite(two_way(current_sdp_for(customer_.get())));
            if (phone_) phone_->invite(two_way(current_sdp_for(phone_.get())));
            return;
        case Action::report_consult_started:  // the customer hears music meanwhile (with rtpengine)
            transfer_target_ = carry.transfer_target;
            media_->start_music(MediaParty::customer);
            report(calls::transition::ConsultStarted{transfer_target_, calls::now_ms()}, std::move(carry.done));
            return;
        case Action::report_consult_answered:
            spdlog::info("call {}: {} answered the operator's consultation", call_.id, transfer_target_);
            report(calls::transition::ConsultAnswered{calls::now_ms()});
            return;
        case Action::take_target_line:
            line_ = context_.line(transfer_target_).value_or(line_);
            call_.extension = transfer_target_;
            return;
        case Action::report_ringing:
            report(calls::transition::Ringing{});
            return;
        case Action::report_answered:
            report(calls::transition::Answered{calls::now_ms()}, std::move(carry.done));
            return;
        case Action::report_held:  // from the CRM or the phone: the customer hears music meanwhile
            media_->start_music(MediaParty::customer);
            report(calls::transition::Held{}, std::move(carry.done));
            return;
        case Action::report_unheld:
            media_->stop_music(MediaParty::customer);
            report(calls::transition::Unheld{}, std::move(carry.done));
            return;
        case Action::report_transfer_started:
            transfer_target_ = carry.transfer_target;
            report(calls::transition::TransferStarted{transfer_target_}, std::move(carry.done));
            return;
        case Action::report_transfer_failed:  // a cancel command's completion gets the call back
            report(calls::transition::TransferFailed{}, std::move(carry.done));
            return;
        case Action::report_reoffered:
            report(calls::transition::Reoffered{transfer_target_, calls::now_ms()});
            return;
        case Action::keep_pending_done:
            pending_done_ = std::move(carry.done);
            return;
        case Action::complete_pending:
            carry.done = std::move(pending_done_);
            pending_done_ = nullptr;
            return;
        case Action::refuse_pending:
            refuse(pending_done_, decision.error, decision.message);
            return;
        case Action::refuse:
            refuse(carry.done, decision.error, decision.message);
            return;
        case Action::end:
            end(decision.reason, std::move(carry.done));
            return;
    }
}

// Tells the model whom the call is offered to now, unless it knows already.
void Bridge::offer_in_model(const std::vector<std::string>& extensions) {
    const std::vector<std::string> known = offered_in_model_.empty() ? std::vector<std::string>{queue_} : offered_in_model_;
    if (extensions.empty() || extensions == known) return;
    offered_in_model_ = extensions;
    report(calls::transition::Offered{extensions, calls::now_ms()});
}

}  // namespace ff::sip
