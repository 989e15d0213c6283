// Parsing and printing rtpengine control addresses.
#include "media/ng_address.hpp"

#include <charconv>

namespace ff::media {

std::string NgAddress::text() const {
    const bool v6 = host.find(':') != std::string::npos;
    return "udp:" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<NgAddress> parse_ng_address(std::string_view text) {
    if (!text.starts_with("udp:")) return std::nullopt;
    text.remove_prefix(4);
    const auto colon = text.rfind(':');
    if (colon == text.npos || colon == 0) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.starts_with('[')) {
        if (!host.ends_with(']') || host.size() < 3) return std::nullopt;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != host.npos) {
        return std::nullopt;  // an IPv6 address needs its brackets before the port
    }
    for (const char c : host) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             c == '.' || c == '-' || c == ':' || c == '_';
        if (!allowed) return std::nullopt;
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
        return std::nullopt;
    return NgAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace ff::media
