// Who an inbound call is from, which of the centre's numbers they dialled and what they chose in the PBX's
// IVR, read from the INVITE the way the PBX passes them.
#pragma once

#include <sofia-sip/sip.h>

#include <string>
#include <vector>

namespace ff::sip {

// The customer's number: the first of `order` the INVITE carries ("pai": P-Asserted-Identity, "rpid":
// Remote-Party-ID, "from"); "anonymous" when none has a user.
std::string caller_number(const sip_t* invite, const std::vector<std::string>& order);

// The number the customer dialled: the first of `order` the INVITE carries ("pcpid": P-Called-Party-ID,
// "diversion": the first Diversion, "history": History-Info's first entry, "to", "ruri": the request URI),
// skipping the operator's own line (`line_numbers`: its extension and user), which the PBX routed the call
// to. "" when none tells.
std::string dialled_number(const sip_t* invite, const std::vector<std::string>& order,
                           const std::vector<std::string>& line_numbers);

// What the caller chose in the PBX's IVR, from the header `header` names (IVR_HEADER, e.g. X-IVR-Choice):
// its value trimmed and at most 32 characters; "" without the header or the setting, or for a value that
// is not one line of printable text.
std::string ivr_choice(const sip_t* invite, const std::string& header);

}  // namespace ff::sip
