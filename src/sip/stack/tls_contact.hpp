// The Contact a line registers when TLS is on. Sofia builds a line's Contact from one of its listeners and
// only appends ";transport=...": over TLS the PBX would then open its connections to the UDP/TCP port, and
// on a loopback address (where Sofia keeps a single listener for its own Contacts) a UDP line would be given
// the TLS one. So with TLS on, every line names its listener itself: SIP_TLS_LISTEN for TLS lines,
// SIP_LISTEN for the others, at the address the PBX reaches us on.
#pragma once

#include <optional>
#include <string>

#include "sip/lines/line_plan.hpp"

namespace ff::sip {

// "<sip:operator1@10.0.0.7:5061;transport=tls>" (TLS line, `tls_listen`), "<sip:operator1@10.0.0.7:5060>"
// (UDP), "…;transport=tcp>" (TCP, `listen`). A wildcard listen host becomes the address the kernel picks
// to reach the PBX (a connected UDP socket, nothing sent); nullopt when the PBX's address cannot be
// resolved or the listen address is not host:port.
std::optional<std::string> line_contact(const LineConfig& line, const std::string& listen,
                                        const std::string& tls_listen);

}  // namespace ff::sip
