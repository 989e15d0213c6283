// rtpengine sees the call as two parties, the customer and the operator side, whatever the SIP legs are:
// the operator's phone, the next one after a transfer, and every fork of a ringing call share one tag.
#include "sip/bridge/call_media.hpp"

#include <spdlog/spdlog.h>

#include "media/media_anchor.hpp"

namespace ff::sip {
namespace {

std::string tag_of(MediaParty party) {
    return std::string(party == MediaParty::customer ? media::customer_tag : media::operator_tag);
}


MediaParty other(MediaParty party) {
    return party == MediaParty::customer ? MediaParty::operator_side : MediaParty::customer;
}

// What rtpengine received from `sender` is what went its way; the loss and jitter the other side reported
// about it say how it arrived.
calls::MediaFlow flow_from(const media::CallStats& stats, MediaParty sender) {
    calls::MediaFlow flow;
    if (const media::PartyStats* party = stats.party(tag_of(sender))) {
        flow.packets = party->rtp_packets;
        flow.lost = party->lost;
        flow.jitter_ms = party->jitter_ms;
    }
    return flow;
}

std::optional<calls::MediaReport> report_of(const media::MediaResult<media::CallStats>& result,
                                           const std::string& call_id) {
    if (!result.ok()) {
        spdlog::warn("Call {}: no media counters from rtpengine: {}", call_id, result.error().message);
        return std::nullopt;
    }
    calls::MediaReport report;
    report.customer_to_operator = flow_from(result.value(), MediaParty::customer);
    report.operator_to_customer = flow_from(result.value(), MediaParty::operator_side);
    return report;
}

std::vector<std::uint16_t> ports_of(const media::MediaResult<media::CallStats>& result, MediaParty sender) {
    if (!result.ok()) return {};
    const media::PartyStats* party = result.value().party(tag_of(sender));
    if (party == nullptr || party->local_port == 0) return {};
    return {party->local_port};
}

}  // namespace

struct CallMedia::State {
    bool anchored = false;
    bool recorded = false;  // rtpengine was asked to record the call
    bool released = false;
    std::string failure;
    std::string sent_to_customer;
    std::string sent_to_operator;

    std::string& sent_to(MediaParty party) { return party == MediaParty::customer ? sent_to_customer : sent_to_operator; }
};

CallMedia::CallMedia(const CallMediaContext& context, std::string call_id)
    : context_(context), call_id_(std::move(call_id)), state_(std::make_shared<State>()) {
    state_->anchored = context_.anchor != nullptr;
}

CallMedia::~CallMedia() {
    release();
}

void CallMedia::offer(MediaParty from, const std::string& sdp, Then then) {
    rewrite(true, from, sdp, std::move(then));
}

void CallMedia::answer(MediaParty offerer, const std::string& sdp, Then then) {
    rewrite(false, offerer, sdp, std::move(then));
}

// `party` offered (is_offer) or is the offerer being answered; the result goes to the other party for an
// offer, to `party` for an answer.
void CallMedia::rewrite(bool is_offer, MediaParty party, const std::string& sdp, Then then) {
    const MediaParty receiver = is_offer ? other(party) : party;
    if (sdp.empty() || !state_->anchored || state_->released) {
        state_->sent_to(receiver) = sdp;
        then(sdp);
        return;
    }
    std::weak_ptr<State> weak = state_;
    auto done = [weak, post = context_.post, failed = context_.failed, call_id = call_id_, receiver, sdp,
                 then = std::move(then)](media::MediaResult<std::string> result) mutable {
        post([weak, failed, call_id, receiver, sdp = std::move(sdp), then = std::move(then),
              result = std::move(result)] {
            auto state = weak.lock();
            if (!state) return;  // the call is gone
            std::string fit = sdp;
            if (result.ok() && state->anchored) {
                fit = result.value();
            } else if (!result.ok() && state->anchored) {
                state->anchored = false;
                state->failure = result.error().message;
                spdlog::warn("Call {}: media pass through, not anchored: {}", call_id, state->failure);
                if (failed) failed(state->failure);
            }
            state->sent_to(receiver) = fit;
            then(fit);
        });
    };
    if (is_offer) {
        media::OfferOptions options;
        options.record = context_.record_all;
        state_->recorded = state_->recorded || options.record;
        context_.anchor->offer(call_id_, tag_of(party), sdp, options, std::move(done));
    } else {
        context_.anchor->answer(call_id_, tag_of(party), tag_of(other(party)), sdp, media::AnswerOptions{},
                                std::move(done));
    }
}

void CallMedia::start_music(MediaParty party) {
    if (!state_->anchored || state_->released || context_.music_on_hold.empty()) return;
    context_.anchor->play(call_id_, tag_of(party), context_.music_on_hold,
                          [call_id = call_id_](media::MediaStatus status) {
                              if (!status) spdlog::warn("Call {}: no music on hold: {}", call_id, status.error().message);
                          });
}

void CallMedia::stop_music(MediaParty party) {
    if (!state_->anchored || state_->released || context_.music_on_hold.empty()) return;
    context_.anchor->stop_play(call_id_, tag_of(party), [](media::MediaStatus) {});
}

void CallMedia::read_report(ReportThen then) {
    if (context_.anchor == nullptr || !state_->anchored || state_->released) return then(std::nullopt);
    context_.anchor->query(call_id_, [post = context_.post, call_id = call_id_,
                                      then = std::move(then)](media::MediaResult<media::CallStats> result) mutable {
        post([then = std::move(then), report = report_of(result, call_id)] { then(report); });
    });
}

void CallMedia::finish(FinishThen then) {
    std::optional<RecordedCall> recorded;
    if (state_->recorded) recorded = RecordedCall{call_id_, {}, {}, state_->failure, false};
    if (context_.anchor == nullptr || !state_->anchored || state_->released) {
        release();
        return then(std::nullopt, std::move(recorded));
    }
    state_->released = true;
    // The delete waits for the counters, and `then` for the delete: rtpengine closes a call's capture when it
    // lets the call go, so the recording can be made from it once `then` runs.
    context_.anchor->query(call_id_, [anchor = context_.anchor, post = context_.post, call_id = call_id_,
                                      recorded = std::move(recorded), then = std::move(then)](
                                         media::MediaResult<media::CallStats> result) mutable {
        if (recorded) {
            recorded->customer_ports = ports_of(result, MediaParty::customer);
            recorded->operator_ports = ports_of(result, MediaParty::operator_side);
        }
        anchor->remove(call_id, [post, call_id, report = report_of(result, call_id), recorded = std::move(recorded),
                                 then = std::move(then)](media::MediaStatus status) mutable {
            if (!status) spdlog::warn("Call {}: rtpengine did not release its media: {}", call_id, status.error().message);
            post([then = std::move(then), report = std::move(report), recorded = std::move(recorded)]() mutable {
                then(std::move(report), std::move(recorded));
            });
        });
    });
}

void CallMedia::record(bool on, std::function<void(const std::string& failure)> then) {
    if (context_.anchor == nullptr || !state_->anchored || state_->released) {
        const std::string why = context_.anchor == nullptr ? std::string("the service does not carry the audio (MEDIA=passthrough)")
                                : state_->released     ? std::string("the call is ending")
                                                       : "its audio does not go through rtpengine (" + state_->failure + ")";
        return then("cannot be recorded: " + why);
    }
    if (on) state_->recorded = true;  // from the request on: a capture may exist even if the answer is lost
    auto done = [post = context_.post, then = std::move(then)](media::MediaStatus status) mutable {
        post([then = std::move(then), failure = status ? std::string() : "rtpengine refused: " + status.error().message] {
            then(failure);
        });
    };
    if (on) {
        context_.anchor->start_recording(call_id_, std::move(done));
    } else {
        context_.anchor->stop_recording(call_id_, std::move(done));
    }
}

void CallMedia::release() {
    if (state_->released) return;
    state_->released = true;
    if (context_.anchor == nullptr || !state_->anchored) return;
    context_.anchor->remove(call_id_, [call_id = call_id_](media::MediaStatus status) {
        if (!status) spdlog::warn("Call {}: rtpengine did not release its media: {}", call_id, status.error().message);
    });
}

const std::string& CallMedia::last_sent_to(MediaParty party) const {
    return state_->sent_to(party);
}

bool CallMedia::anchored() const {
    return state_->anchored;
}

bool CallMedia::plays_music() const {
    return state_->anchored && !context_.music_on_hold.empty();
}

bool CallMedia::records_from_start() const {
    return context_.anchor != nullptr && context_.record_all;
}

const std::string& CallMedia::failure() const {
    return state_->failure;
}

}  // namespace ff::sip
