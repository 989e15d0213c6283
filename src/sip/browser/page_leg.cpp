// The page's leg: SIP in from the bridge, signals out to the page, rtpengine between their two kinds of media.
#include "sip/browser/page_leg.hpp"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <spdlog/spdlog.h>

#include "sip/stack/sip_headers.hpp"

namespace ff::sip {
namespace {

// rtpengine's tags for the two sides of the leg's own media session.
constexpr const char* bridge_tag = "bridge";
constexpr const char* page_tag = "page";

std::string caller_of(const sip_t* sip) {
    if (sip->sip_from == nullptr) return {};
    if (sip->sip_from->a_display != nullptr && *sip->sip_from->a_display != '\0') {
        std::string name = sip->sip_from->a_display;
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        return name;
    }
    return sip->sip_from->a_url->url_user != nullptr ? sip->sip_from->a_url->url_user : "";
}

// The bridge rings with "Call-Info: <...>;answer-after=0" when the operator's own click-to-call rings the
// operator's device first.
bool asks_auto_answer(const sip_t* sip) {
    for (const sip_call_info_t* info = sip->sip_call_info; info != nullptr; info = info->ci_next) {
        if (msg_params_find(info->ci_params, "answer-after=") != nullptr) return true;
    }
    return false;
}

// The same SDP as a new version (its o= line's session version plus one): rtpengine takes it as a new offer.
std::string next_version(std::string sdp) {
    const auto origin = sdp.find("o=");
    if (origin == std::string::npos) return sdp;
    const auto id_end = sdp.find(' ', sdp.find(' ', origin) + 1);
    const auto version_end = id_end == std::string::npos ? id_end : sdp.find(' ', id_end + 1);
    if (version_end == std::string::npos) return sdp;
    const std::string version = sdp.substr(id_end + 1, version_end - id_end - 1);
    if (version.empty() || version.size() > 18 || version.find_first_not_of("0123456789") != std::string::npos)
        return sdp;
    return sdp.replace(id_end + 1, version.size(), std::to_string(std::stoull(version) + 1));
}

}  // namespace

PageLeg::PageLeg(PageLegContext& context, nua_handle_t* handle, const sip_t* invite, std::string device,
                 std::string id)
    : context_(context),
      sip_(std::make_unique<CallLeg>(handle, CallLeg::Side::phone, true)),
      device_(std::move(device)),
      id_(std::move(id)),
      media_id_("page-" + id_),
      call_id_(unknown_header(invite, call_id_header)),
      caller_(caller_of(invite)),
      auto_answer_(asks_auto_answer(invite)) {
    nua_handle_bind(handle, static_cast<NuaEventSink*>(this));
    sip_->respond(180);
    const std::string offer = sdp_of(invite);
    if (offer.empty()) {
        waiting_ = Waiting::offer;
        signal({calls::PhoneSignal::Kind::incoming, device_, id_, call_id_, caller_, {}, {}, auto_answer_, {}});
    } else {
        offer_to_page(offer, true, false);
    }
}

PageLeg::~PageLeg() {
    *alive_ = false;
    if (context_.anchor != nullptr) context_.anchor->remove(media_id_, [](media::MediaStatus) {});
}

void PageLeg::signal(calls::PhoneSignal signal) const {
    if (context_.signal) context_.signal(std::move(signal));
}

void PageLeg::ended(const std::string& reason) {
    if (over_) return;
    over_ = true;
    waiting_ = Waiting::nothing;
    signal({calls::PhoneSignal::Kind::ended, device_, id_, call_id_, {}, {}, {}, false, reason});
}

// The bridge's SDP made WebRTC for the page, which answers it with page_sdp().
void PageLeg::offer_to_page(const std::string& bridge_sdp, bool incoming, bool restart) {
    bridge_sdp_ = bridge_sdp;
    waiting_ = Waiting::answer;
    media::OfferOptions options;
    options.to = media::MediaPeer::webrtc;
    options.restart = restart;
    context_.anchor->offer(media_id_, bridge_tag, bridge_sdp, options, then([this, incoming](const std::string& sdp) {
        signal({incoming ? calls::PhoneSignal::Kind::incoming : calls::PhoneSignal::Kind::sdp, device_, id_, call_id_,
                caller_, sdp, "offer", auto_answer_, {}});
    }));
}

media::MediaAnchor::SdpCompletion PageLeg::then(std::function<void(const std::string& sdp)> next) {
    return [this, alive = alive_, next = std::move(next)](media::MediaResult<std::string> result) {
        context_.post([this, alive, next, result = std::move(result)] {
            if (!*alive || over_) return;
            if (!result) {
                spdlog::warn("browser phone {}: rtpengine failed leg {}: {}", device_, id_, result.error().message);
                return page_lost();
            }
            next(result.value());
        });
    };
}

void PageLeg::page_sdp(const std::string& sdp) {
    if (over_) return;
    if (waiting_ == Waiting::answer) {
        waiting_ = Waiting::nothing;
        context_.anchor->answer(media_id_, bridge_tag, page_tag, sdp,
                                media::AnswerOptions{media::MediaPeer::rtp, media::MediaPeer::webrtc},
                                then([this](const std::string& answer) { answer_bridge(answer); }));
        return;
    }
    if (waiting_ == Waiting::offer) {  // offerless INVITE: the page's offer goes to the bridge in our 200
        waiting_ = Waiting::nothing;
        page_offered_ = true;
        media::OfferOptions options;
        options.from = media::MediaPeer::webrtc;
        context_.anchor->offer(media_id_, page_tag, sdp, options,
                               then([this](const std::string& offer) { answer_bridge(offer); }));
        return;
    }
    spdlog::info("browser phone {}: SDP for leg {} that waits for none: ignored", device_, id_);
}

void PageLeg::answer_bridge(const std::string& sdp) {
    our_sdp_ = sdp;
    sip_->respond(200, sdp);
}

void PageLeg::page_hang_up() {
    ended("hung up on the page");
    sip_->hang_up(603);  // BYE once answered; a ringing page declines
}

void PageLeg::page_lost() {
    ended("the page went away");
    sip_->hang_up(480);
}

void PageLeg::rejoin(const std::string& device) {
    device_ = device;
    if (over_ || !sip_->answered() || bridge_sdp_.empty()) return;
    auto_answer_ = true;  // the call was answered already: the page takes it back without ringing
    offer_to_page(next_version(bridge_sdp_), true, true);
}

void PageLeg::on_nua_event(const NuaEvent& event) {
    sip_->absorb(event);
    switch (event.event) {
        case nua_i_invite:  // a re-INVITE (hold, unhold, the customer's answer after click-to-call)
            on_invite(event);
            return;
        case nua_i_ack:
            if (page_offered_ && event.sip != nullptr) {
                page_offered_ = false;
                const std::string answer = sdp_of(event.sip);
                if (answer.empty()) return;
                bridge_sdp_ = answer;
                context_.anchor->answer(media_id_, page_tag, bridge_tag, answer,
                                        media::AnswerOptions{media::MediaPeer::webrtc, media::MediaPeer::rtp},
                                        then([this](const std::string& sdp) {
                                            signal({calls::PhoneSignal::Kind::sdp, device_, id_, call_id_, {}, sdp,
                                                    "answer", false, {}});
                                        }));
            }
            return;
        case nua_i_update:
            sip_->take_update(nua_current_request(context_.nua));
            sip_->respond_update(200, sip_->update_has_offer() ? our_sdp_ : std::string());
            return;
        case nua_i_cancel:
            ended("answered elsewhere or the caller hung up");
            return;
        case nua_i_bye:
            ended("the call ended");
            return;
        case nua_i_state:
            if (sip_->terminated()) ended("the call ended");  // the set drops the leg at its next sweep
            return;
        default:
            return;
    }
}

void PageLeg::on_invite(const NuaEvent& event) {
    if (event.status >= 200 || event.sip == nullptr) return;
    const std::string offer = sdp_of(event.sip);
    if (offer.empty() || waiting_ != Waiting::nothing) {
        // An offerless re-INVITE gets what we agreed last; one during another exchange waits its turn.
        if (offer.empty()) return sip_->respond(200, our_sdp_);
        return sip_->respond(491);
    }
    offer_to_page(offer, false, false);
}

}  // namespace ff::sip
