// Checks of RTPENGINE_URL: every entry is read, the first wrong one is named.
#include "config/media_settings.hpp"

#include "config/value_checks.hpp"

namespace ff::config {

std::optional<std::vector<std::string>> parse_rtpengine_urls(std::string_view text, std::string& error) {
    std::vector<std::string> urls;
    std::size_t number = 0;
    while (true) {
        const auto comma = text.find(',');
        const std::string_view entry = trim_blanks(text.substr(0, comma));
        ++number;
        const std::string which = "entry " + std::to_string(number) + " (\"" + printable(entry) + "\")";
        if (!entry.starts_with("udp:")) {
            error = which + " does not start with udp: (rtpengine's ng protocol over UDP)";
            return std::nullopt;
        }
        const auto address = parse_host_port(entry.substr(4));
        if (!address || !address->port) {
            error = which + " is not udp:host:port";
            return std::nullopt;
        }
        urls.emplace_back(entry);
        if (comma == text.npos) break;
        text.remove_prefix(comma + 1);
    }
    return urls;
}

}  // namespace ff::config
