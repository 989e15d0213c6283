// Field-level checks of PBX settings and PBX accounts, shared by the environment loader and the REST API.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/service_config.hpp"

namespace ff::config {

// `field` is the JSON API's camelCase name (server, port, rtpPortMin, extension, displayName ...);
// `message` is a whole sentence fragment that names it, e.g. "extension must be 2 to 8 digits".
struct FieldError {
    std::string field;
    std::string message;
};

// "UDP", "tcp", "Tls" ...; nullopt for anything else.
std::optional<SipTransport> parse_sip_transport(std::string_view text);

std::vector<FieldError> validate_pbx_settings(const PbxSettings& settings);
std::vector<FieldError> validate_sip_user(const SipUser& user);

// One bad entry of SIP_USERS: which one (1-based), the entry with its password masked, and why.
struct SipUsersError {
    std::size_t entry = 0;
    std::string shown_entry;
    std::string expected;
};

struct SipUsersParse {
    std::vector<SipUser> users;  // the entries that were valid, in order
    std::vector<SipUsersError> errors;
};

// "username:password:extension:displayName,..." (display name optional, may contain spaces, ':' and
// any UTF-8; an empty text is an empty list). A repeated extension is an error.
SipUsersParse parse_sip_users(std::string_view text);

}  // namespace ff::config
