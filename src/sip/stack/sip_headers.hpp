// Headers Sofia-SIP leaves unparsed (X-…, Diversion, History-Info, P-Called-Party-ID), read by name.
#pragma once

#include <sofia-sip/sip.h>

#include <string>

namespace ff::sip {

// The value of the first header called `name` (any case) that Sofia kept as unknown; "" when there is none.
std::string unknown_header(const sip_t* sip, const char* name);

// The user part of the first address in a name-addr list ("Name <sip:user@host>;p=1, <sip:…>"), parsed by
// Sofia; "" when the first entry is not an address with a user.
std::string first_address_user(const std::string& value);

}  // namespace ff::sip
