// One leg of a bridged call: a NUA handle with what the bridge needs to know about it (answered or not,
// the SDP it last sent, the credentials for the PBX's challenges). The bridge is the handle's event sink.
#pragma once

#include <sofia-sip/nua.h>

#include <optional>
#include <string>

#include "config/service_config.hpp"
#include "sip/stack/nua_event.hpp"
#include "sip/bridge/sdp_rewrite.hpp"

namespace ff::sip {

class CallLeg {
  public:
    enum class Side { pbx, phone };

    // Takes over `handle`: an incoming INVITE's (`incoming`), or one made for a call the service places.
    CallLeg(nua_handle_t* handle, Side side, bool incoming);
    ~CallLeg();  // destroys the handle without SIP traffic: hang_up() first
    CallLeg(const CallLeg&) = delete;
    CallLeg& operator=(const CallLeg&) = delete;

    nua_handle_t* handle() const { return handle_; }
    Side side() const { return side_; }
    bool incoming() const { return incoming_; }
    bool answered() const { return answered_; }
    bool terminated() const { return terminated_; }
    const std::string& remote_sdp() const { return remote_sdp_; }
    // The last SDP absorbed differed from the one before it (an ACK's answer that moves the media, say).
    bool remote_sdp_changed() const { return remote_sdp_changed_; }

    // The SDP of the INVITE that created an incoming leg (delivered before the leg existed).
    void remember_remote_sdp(std::string sdp) { remote_sdp_ = std::move(sdp); }

    // PBX legs authenticate as the operator's line.
    void use_credentials(config::SipUser user) { credentials_ = std::move(user); }

    // Requests. `sdp` is stamped with this leg's origin; an empty offer sends an offerless INVITE whose
    // 200 OK the bridge must ack() with the answer.
    void invite(const std::string& sdp, const std::string& extra_headers = {});
    void ack(const std::string& sdp);
    void refer(const std::string& target_uri);
    // The Replaces value naming this leg's dialog (RFC 3891), escaped to go in a URI's headers
    // ("?Replaces=..."); empty while it has none.
    std::string escaped_replaces() const;
    void probe();  // in-dialog OPTIONS
    // Probe failures in a row so far, after this answer (a failure or not).
    int count_probe_failure(bool failed) { return failed_probes_ = failed ? failed_probes_ + 1 : 0; }
    // Responses to the incoming INVITE (or re-INVITE); a 2xx carries `sdp`.
    void respond(int status, const std::string& sdp = {});
    // An UPDATE arrived (`request`: the stack's message, from nua_current_request()); it is answered with
    // respond_update(), at once or once the other leg has answered its offer. NUA answers UPDATE itself
    // only without SDP in its 200, which leaves an offer unanswered, so the stack leaves UPDATE to us.
    void take_update(msg_t* request);
    bool update_pending() const { return update_request_ != nullptr; }
    bool update_has_offer() const;
    void respond_update(int status, const std::string& sdp = {});
    // Whatever the leg's state needs: CANCEL while our INVITE rings, a final `refusal` to an incoming one
    // still ringing, BYE once answered; nothing once terminated.
    void hang_up(int refusal = 480);
    // An incoming INVITE still ringing is sent on: 302 Moved Temporarily to `uri`.
    void redirect(const std::string& uri);

    // Bookkeeping from the leg's events, before the bridge looks at them: remembers SDP and answer,
    // notices the end. Returns true when the event is consumed here (a challenge answered).
    bool absorb(const NuaEvent& event);

  private:
    bool answer_challenge(const NuaEvent& event);

    nua_handle_t* handle_;
    Side side_;
    bool incoming_;
    bool answered_ = false;
    bool terminated_ = false;
    bool hung_up_ = false;
    int failed_probes_ = 0;
    int challenges_answered_ = 0;  // for the request in progress; a second challenge means refused
    std::optional<config::SipUser> credentials_;
    LegOrigin origin_;
    std::string remote_sdp_;
    bool remote_sdp_changed_ = false;
    msg_t* update_request_ = nullptr;  // a reference to the UPDATE waiting for our answer
};

// The header naming the call (its id in the model) on the INVITEs that ring a browser phone, whose page shows
// that call's card.
inline constexpr const char* call_id_header = "X-FoodFlow-Call";

// The SDP body of a message, empty when it has none.
std::string sdp_of(const sip_t* sip);

// The state NUA reports in nua_i_state / nua_r_*, nua_callstate_init when the event has none.
int call_state_of(const NuaEvent& event);

}  // namespace ff::sip
