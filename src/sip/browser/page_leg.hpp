// One leg of a call on a browser phone: the bridge rings the page like a SIP phone, with an INVITE that
// comes back into the service's own stack and lands here. The SIP side of that dialog is a CallLeg; the
// page's side is signals over Socket.IO. Between the bridge's plain RTP and the page's WebRTC, rtpengine
// keeps a media session of the leg's own (ICE, DTLS-SRTP towards the page). SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <functional>
#include <memory>
#include <string>

#include "calls/browser_phone.hpp"
#include "media/media_anchor.hpp"
#include "sip/bridge/call_leg.hpp"
#include "sip/stack/nua_event.hpp"

namespace ff::sip {

struct PageLegContext {
    nua_t* nua = nullptr;
    media::MediaAnchor* anchor = nullptr;
    std::function<void(std::function<void()>)> post;  // runs a job on the SIP thread (rtpengine answers)
    calls::PhoneSignalSink signal;
};

class PageLeg final : public NuaEventSink {
  public:
    // Takes over the INVITE on `handle` for the page `device`; rings the page.
    PageLeg(PageLegContext& context, nua_handle_t* handle, const sip_t* invite, std::string device, std::string id);
    ~PageLeg();
    PageLeg(const PageLeg&) = delete;
    PageLeg& operator=(const PageLeg&) = delete;

    const std::string& id() const { return id_; }
    const std::string& device() const { return device_; }
    bool answered() const { return sip_->answered(); }
    bool finished() const { return sip_->terminated(); }

    void on_nua_event(const NuaEvent& event) override;

    // From the page: its SDP (the answer to our offer, or its own offer when it got none), or its hang-up.
    void page_sdp(const std::string& sdp);
    void page_hang_up();
    // The page went away for good: the leg ends (a ringing one is declined for the other phones to take).
    void page_lost();
    // A reloaded page took the device's place: it gets the call again with a fresh offer (new ICE and DTLS).
    void rejoin(const std::string& device);

  private:
    // What the leg waits for from the page.
    enum class Waiting { nothing, answer, offer };

    void on_invite(const NuaEvent& event);
    // `restart`: a new page takes the leg over (new ICE and DTLS at rtpengine).
    void offer_to_page(const std::string& bridge_sdp, bool incoming, bool restart);
    void answer_bridge(const std::string& sdp);
    // rtpengine's answer carried back to the SIP thread and on to `next` while the leg lasts; a failure ends
    // the leg (the page cannot be heard).
    media::MediaAnchor::SdpCompletion then(std::function<void(const std::string& sdp)> next);
    void signal(calls::PhoneSignal signal) const;
    void ended(const std::string& reason);

    PageLegContext& context_;
    std::unique_ptr<CallLeg> sip_;
    std::string device_;
    std::string id_;
    std::string media_id_;  // the leg's session at rtpengine
    std::string call_id_;   // the call in the model, from the bridge's X-FoodFlow-Call header
    std::string caller_;
    bool auto_answer_ = false;
    bool page_offered_ = false;  // offerless INVITE: the page's offer went out in our 200; the ACK answers it
    Waiting waiting_ = Waiting::nothing;
    std::string bridge_sdp_;  // the last SDP the bridge sent: what a rejoining page is offered again
    std::string our_sdp_;     // the last SDP we sent the bridge
    bool over_ = false;       // the page heard the leg ended
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // rtpengine answers after the leg went
};

}  // namespace ff::sip
