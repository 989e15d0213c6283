// The browser phone as the transports see it: a console page that is one more device of its operator's
// extension, beside the SIP phones. The page and the service exchange SDP and the legs' progress over the
// console's Socket.IO connection; the SIP engine rings, answers and ends the page's legs like a phone's.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "calls/result.hpp"

namespace ff::calls {

// What the service tells one page (its device).
struct PhoneSignal {
    enum class Kind {
        incoming,  // a call rings on the page: `leg`, `call_id`, `caller`, `sdp` (the offer; empty: the page offers)
        sdp,       // the page must take `sdp` of `sdp_type` ("offer": answer it, "answer": to the page's offer)
        ended,     // the leg is over: `reason` (answered elsewhere, the caller hung up ...)
        lost,      // the device itself is gone: `reason` (the token was revoked, the page was away too long)
    };
    Kind kind = Kind::incoming;
    std::string device;
    std::string leg;
    std::string call_id;
    std::string caller;
    std::string sdp;
    std::string sdp_type;
    bool auto_answer = false;  // the operator's own click-to-call: the page answers by itself
    std::string reason;
};

// A page that became a device.
struct PhoneDevice {
    std::string id;                        // names the device in every message; a reloaded page rejoins with it
    std::string extension;
    std::vector<std::string> ice_servers;  // "stun:host:port" (STUN_SERVER) for the page's RTCPeerConnection
};

// Implemented by the SIP engine; every member may be called from any thread and completes (or signals)
// later, on another thread.
class BrowserPhones {
  public:
    using Attached = std::function<void(Result<PhoneDevice>)>;
    virtual ~BrowserPhones() = default;

    // The page becomes a device of `extension`. `rejoin` is the id of a device whose page went away a moment
    // ago (a reload, a network drop): the page takes its place and its call, whose media is renegotiated.
    virtual void attach(std::string extension, std::string rejoin, Attached done) = 0;
    // The page goes away: at once (the switch turned off, the token revoked), or after a grace time in which
    // a reloaded page may rejoin (`keep_calls`).
    virtual void detach(std::string device, bool keep_calls) = 0;
    // The page's SDP for `leg`: the answer to the service's offer, or the page's own offer when it got none.
    virtual void send_sdp(std::string device, std::string leg, std::string sdp) = 0;
    // The page declines a leg that rings, or hangs up one that is answered.
    virtual void hang_up(std::string device, std::string leg) = 0;
};

// Where the SIP engine's signals for pages go (the realtime server); called on the SIP thread.
using PhoneSignalSink = std::function<void(PhoneSignal)>;

}  // namespace ff::calls
