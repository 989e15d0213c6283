// The Contact a line registers over TLS. Sofia builds a line's Contact from its UDP/TCP listener and only
// appends ";transport=tls", so the PBX would open its TLS connections to the wrong port; this one names
// the TLS listener (SIP_TLS_LISTEN) at the address the PBX reaches us on.
#pragma once

#include <optional>
#include <string>

#include "sip/line_plan.hpp"

namespace ff::sip {

// "<sip:operator1@10.0.0.7:5061;transport=tls>". With a wildcard `tls_listen` host the address is the
// one the kernel picks to reach the PBX (a connected UDP socket, nothing sent); nullopt when the PBX's
// address cannot be resolved or `tls_listen` is not host:port.
std::optional<std::string> tls_line_contact(const LineConfig& line, const std::string& tls_listen);

}  // namespace ff::sip
