// The door of the SIP stack for new requests the service answers itself (INVITE, REGISTER, OPTIONS ...):
// each source address gets a token bucket (flood_limit); past it, 503 with Retry-After. The PBX's addresses
// are trusted. Sofia-SIP offers no earlier hook per source than NUA's event callback, and a request NUA
// delivers cannot be dropped unanswered (a handle let go of unanswered sends 500), so the refusal is the
// cheapest honest answer: no authentication, no lookup, no call. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>

#include <functional>
#include <future>
#include <string>
#include <vector>

#include "sip/stack/flood_limit.hpp"
#include "sip/stack/nua_event.hpp"

namespace ff::sip {

class FloodGate {
  public:
    // The PBX hosts the lines register at (names or addresses), as the settings say now.
    using PbxHosts = std::function<std::vector<std::string>()>;

    FloodGate(nua_t* nua, FloodPolicy policy, PbxHosts pbx_hosts);

    // A new request on a handle nobody owns: true to serve it; false when it has been answered 503 (the
    // handle is then let go of as after any other answer).
    bool admit(const NuaEvent& event);

    // The settings changed: the PBX's addresses are looked up again. An address is taken at once; a name is
    // resolved on a thread of its own (the SIP thread never waits for DNS), and trusted once it answers.
    void refresh();

  private:
    void take_lookup();
    void trust(const std::vector<std::string>& addresses, bool names_pbx);

    nua_t* nua_;
    FloodLimit limit_;
    PbxHosts pbx_hosts_;
    FloodLimit::Clock::time_point refreshed_{};
    bool trusted_before_ = false;
    bool lookup_names_pbx_ = false;
    std::future<std::vector<std::string>> lookup_;  // a name being resolved
};

}  // namespace ff::sip
