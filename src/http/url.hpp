// Splitting a request target into its path and decoded query parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ff::http {

struct Target {
    std::string path;                          // percent-decoded
    std::map<std::string, std::string> query;  // decoded; the last value wins for repeated keys
};

// nullopt when the target has a broken percent escape.
std::optional<Target> parse_target(std::string_view target);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// RFC 3986 percent-encoding of everything but unreserved characters ("+7999" -> "%2B7999").
std::string percent_encode(std::string_view text);

}  // namespace ff::http
