// Whether the SIP listen address can be bound, checked before the stack tries (and fails untidily).
#pragma once

#include <string_view>

#include "calls/result.hpp"

namespace ff::sip {

// Binds and releases a UDP and a TCP socket on `host_port` (SIP_LISTEN's form; "0.0.0.0" and "*" mean
// every interface). The error names the protocol and the reason ("UDP: Address already in use").
calls::Status check_listen_address(std::string_view host_port);

}  // namespace ff::sip
