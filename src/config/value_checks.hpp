// Small syntax checks shared by the environment loader and the settings API: hosts, ports, URLs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ff::config {

// A DNS name (letters, digits, '-', dot-separated labels of 1-63 characters; a trailing dot allowed).
bool is_hostname(std::string_view text);
bool is_ipv4_address(std::string_view text);
bool is_ipv6_address(std::string_view text);  // without brackets
// A hostname, an IPv4 address, or an IPv6 address with or without brackets.
bool is_host(std::string_view text);

// Digits only (no sign, no blanks), within [min, max].
std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max);

struct HostPort {
    std::string host;  // without brackets for IPv6
    std::optional<std::uint16_t> port;
};

// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address; nullopt unless host and port are valid.
std::optional<HostPort> parse_host_port(std::string_view text);

struct HttpUrl {
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 80;
    std::string target;  // path and query, at least "/"; the fragment dropped
};

// A plain "http://host[:port][/path][?query]" URL without user info; nullopt otherwise (https too).
std::optional<HttpUrl> parse_http_url(std::string_view url);

// A name for one instance of the service: 1 to 64 of [A-Za-z0-9._-] (it becomes part of Redis keys).
bool is_instance_id(std::string_view text);

// Whether libphonenumber knows this (upper-case) region code, e.g. "RU", "BY", "KZ".
bool is_supported_region(std::string_view region);

// Replaces the password of "scheme://user:pass@host/..." with "***"; other text is returned unchanged.
std::string mask_url_password(std::string_view url);

// A value as error messages show it: quotes and control characters escaped, cut after 200 bytes.
std::string printable(std::string_view value);

// Well-formed UTF-8 (no overlongs, no surrogates); `code_points` receives the character count.
bool is_valid_utf8(std::string_view text, std::size_t* code_points = nullptr);

std::string to_lower_ascii(std::string_view text);
std::string to_upper_ascii(std::string_view text);
std::string_view trim_blanks(std::string_view text);

// A SIP header name (RFC 3261's token: letters, digits and -.!%*_+`'~), 1 to 64 characters.
bool is_header_name(std::string_view text);

// SMS_GATEWAY_HEADERS: "Name: value; Name2: value2", each trimmed; nullopt when an entry has no header name
// before its colon or a value is not one line of printable text.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_header_list(std::string_view text);

// DIALLED_NAMES: "number=name;number=name", each trimmed; nullopt when an entry lacks its number or its name,
// or a name is not one line of UTF-8 of at most 100 characters.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_dialled_names(std::string_view text);

}  // namespace ff::config
