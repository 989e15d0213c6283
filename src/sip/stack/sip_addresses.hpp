// The SIP URIs and strings a line and the stack are configured with, built from the settings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/lines/line_plan.hpp"

namespace ff::sip {

// Where the REGISTER goes: "sip:pbx.example.com:5060;transport=tcp".
std::string registrar_uri(const LineConfig& line);
// The line's address of record, To and From of its REGISTER: "sip:1001@pbx.example.com".
std::string address_of_record(const LineConfig& line);
// Contact URI parameters of the line's registration: over TCP or TLS the PBX must come back the same way
// ("transport=tcp"); empty for UDP.
std::string contact_parameters(const LineConfig& line);
// For people: "pbx.example.com:5060 over TCP".
std::string describe_registrar(const LineConfig& line);

// The stack's listen URL from SIP_LISTEN ("0.0.0.0:5060" -> "sip:*:5060"); nullopt if it is not host:port.
std::optional<std::string> listen_url(std::string_view host_port);
// Where the stack reaches itself over SIP_LISTEN ("0.0.0.0:5060" -> "127.0.0.1:5060"): the browser phones'
// contacts, whose INVITEs come back to us.
std::optional<std::string> own_host_port(std::string_view host_port);
// The same for the TLS listener (SIP_TLS_LISTEN): "sips:*:5061".
std::optional<std::string> tls_listen_url(std::string_view host_port);

// NUTAG_AUTH's "Digest:\"realm\":user:password"; the realm as the challenge gave it, quoted or not.
std::string digest_credentials(std::string_view realm, const config::SipUser& user);

}  // namespace ff::sip
