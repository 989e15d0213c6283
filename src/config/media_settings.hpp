// The media plane's settings as the environment writes them: MEDIA, RTPENGINE_URL, MEDIA_ADDRESS ...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ff::config {

// "udp:host:port[,udp:host:port...]" (IPv6 hosts in brackets) as a list of "udp:host:port", or nullopt with
// `error` saying which entry is wrong and why.
std::optional<std::vector<std::string>> parse_rtpengine_urls(std::string_view text, std::string& error);

}  // namespace ff::config
