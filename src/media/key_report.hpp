// A key a party pressed, as rtpengine reports it on its DTMF log socket (--dtmf-log-dest): one JSON datagram
// per key, sent when the key's RFC 4733 event ends.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ff::media {

struct KeyReport {
    std::string call_id;     // the ng call-id: the service's own call id
    std::string source_tag;  // the ng tag of the party that pressed it ("customer", "operator")
    char key = 0;            // 0-9, *, #, A-D
};

// nullopt for anything but a well-formed report of one of the 16 keys (a datagram from elsewhere, an event
// that is no key): the receiver drops those.
std::optional<KeyReport> parse_key_report(std::string_view datagram);

}  // namespace ff::media
