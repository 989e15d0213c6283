// Whether the SIP listen address can be bound, checked before the stack tries (and fails untidily).
#pragma once

#include <string_view>

#include "calls/result.hpp"

namespace ff::sip {

enum class ListenProtocols { udp_and_tcp, tcp };  // SIP_LISTEN; SIP_TLS_LISTEN (TLS runs over TCP)

// Binds and releases a UDP and a TCP socket on `host_port` (SIP_LISTEN's form; "0.0.0.0" and "*" mean
// every interface). The error names the protocol and the reason ("UDP: Address already in use").
calls::Status check_listen_address(std::string_view host_port,
                                   ListenProtocols protocols = ListenProtocols::udp_and_tcp);

}  // namespace ff::sip
