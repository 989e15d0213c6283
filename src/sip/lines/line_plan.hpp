// What each line registers with, and what a settings change means for the lines already running.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/service_config.hpp"

namespace ff::sip {

// One operator's PBX account together with the PBX it registers to.
struct LineConfig {
    config::SipUser user;
    std::string server;  // empty: no PBX configured, the line waits
    std::uint16_t port = 5060;
    config::SipTransport transport = config::SipTransport::udp;

    const std::string& extension() const { return user.extension; }
    bool operator==(const LineConfig&) const = default;
};

// The lines the settings describe, one per extension, in the settings' order (a repeated extension
// keeps its first account: the settings validation refuses duplicates, this only guards the engine).
std::vector<LineConfig> lines_from(const config::PbxSettings& pbx, const std::vector<config::SipUser>& users);

// True when going from `before` to `after` needs a new registration (anything the REGISTER carries);
// a new display name alone does not.
bool needs_reregistration(const LineConfig& before, const LineConfig& after);

// The steps that turn the running lines into the wanted ones.
struct LinePlan {
    std::vector<std::string> removed;      // extensions to un-register and drop
    std::vector<LineConfig> added;         // new extensions to register
    std::vector<LineConfig> reregistered;  // un-register, then register with the new account or PBX
    std::vector<LineConfig> relabelled;    // only the display name changed: no SIP traffic

    bool empty() const {
        return removed.empty() && added.empty() && reregistered.empty() && relabelled.empty();
    }
};

LinePlan plan_lines(const std::vector<LineConfig>& running, const std::vector<LineConfig>& wanted);

}  // namespace ff::sip
