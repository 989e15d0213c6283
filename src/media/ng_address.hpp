// Where an rtpengine listens for ng commands: "udp:host:port" as RTPENGINE_URL writes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ff::media {

struct NgAddress {
    std::string host;  // a name, an IPv4 or an IPv6 address (without brackets)
    std::uint16_t port = 0;

    std::string text() const;  // udp:127.0.0.1:22222, udp:[::1]:22222
    bool operator==(const NgAddress&) const = default;
};

// One "udp:host:port" (IPv6 in brackets); nullopt when it is not that.
std::optional<NgAddress> parse_ng_address(std::string_view text);

}  // namespace ff::media
