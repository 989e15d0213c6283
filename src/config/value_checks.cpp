// Hand-written checks rather than regexes: they are hot in no path, but must be exact and allocation-light.
#include "config/value_checks.hpp"

#include <arpa/inet.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace ff::config {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string_view trim_blanks(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

std::string to_lower_ascii(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return result;
}

std::string to_upper_ascii(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return result;
}

bool is_hostname(std::string_view text) {
    if (text.ends_with('.')) text.remove_suffix(1);
    if (text.empty() || text.size() > 253) return false;
    bool all_numeric = true;  // "999.1.1.1" is a broken address, not a name
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto dot = text.find('.', start);
        const std::string_view label = text.substr(start, dot == text.npos ? text.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (const char c : label) {
            if (!is_alnum(c) && c != '-') return false;
            if (!is_digit(c)) all_numeric = false;
        }
        if (dot == text.npos) break;
        start = dot + 1;
    }
    return !all_numeric;
}

bool is_ipv4_address(std::string_view text) {
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = text.find('.', start);
        const std::string_view part = text.substr(start, dot == text.npos ? text.npos : dot - start);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part.front() == '0')) return false;
        if (!parse_integer(part, 0, 255)) return false;
        ++parts;
        if (dot == text.npos) break;
        start = dot + 1;
    }
    return parts == 4;
}

bool is_ipv6_address(std::string_view text) {
    // inet_pton reads a C string: "::" followed by a NUL and anything at all would pass as "::".
    if (text.empty() || text.size() > 45 || text.find('\0') != text.npos) return false;
    const std::string copy(text);
    in6_addr address{};
    return inet_pton(AF_INET6, copy.c_str(), &address) == 1;
}

bool is_host(std::string_view text) {
    if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
        return is_ipv6_address(text.substr(1, text.size() - 2));
    }
    return is_ipv4_address(text) || is_hostname(text) || is_ipv6_address(text);
}

std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    for (const char c : text) {
        if (!is_digit(c)) return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (value < min || value > max) return std::nullopt;
    return value;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
    HostPort result;
    std::string_view host = text;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == text.npos) return std::nullopt;
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':')) return std::nullopt;
            port = rest.substr(1);
            if (port.empty()) return std::nullopt;
        }
        if (!is_ipv6_address(host)) return std::nullopt;
    } else if (std::count(text.begin(), text.end(), ':') > 1) {
        if (!is_ipv6_address(text)) return std::nullopt;  // a bare IPv6 address has no port
    } else if (const auto colon = text.find(':'); colon != text.npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (port.empty()) return std::nullopt;
        if (!is_ipv4_address(host) && !is_hostname(host)) return std::nullopt;
    } else if (!is_ipv4_address(host) && !is_hostname(host)) {
        return std::nullopt;
    }
    result.host = std::string(host);
    if (!port.empty()) {
        const auto number = parse_integer(port, 1, 65535);
        if (!number) return std::nullopt;
        result.port = static_cast<std::uint16_t>(*number);
    }
    return result;
}

std::optional<HttpUrl> parse_http_url(std::string_view url) {
    if (to_lower_ascii(url.substr(0, 7)) != "http://") return std::nullopt;
    url.remove_prefix(7);
    const auto authority_end = url.find_first_of("/?#");
    const std::string_view authority = url.substr(0, authority_end);
    auto host_port = parse_host_port(authority);
    if (!host_port) return std::nullopt;
    HttpUrl result;
    result.host = std::move(host_port->host);
    result.port = host_port->port.value_or(80);
    std::string_view rest = authority_end == url.npos ? std::string_view{} : url.substr(authority_end);
    rest = rest.substr(0, rest.find('#'));
    for (const char c : rest) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F) return std::nullopt;  // a request target must be plain ASCII
    }
    result.target = rest.starts_with('/') ? std::string(rest) : "/" + std::string(rest);
    return result;
}

bool is_supported_region(std::string_view region) {
    if (region.size() != 2) return false;
    static const std::set<std::string> regions = [] {
        std::set<std::string> all;
        i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&all);
        return all;
    }();
    return regions.contains(std::string(region));
}

std::string mask_url_password(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == url.npos) return std::string(url);
    const std::size_t authority_start = scheme_end + 3;
    const auto authority_end = url.find_first_of("/?#", authority_start);
    const std::string_view authority =
        url.substr(authority_start, authority_end == url.npos ? url.npos : authority_end - authority_start);
    const auto at = authority.rfind('@');  // a password may itself contain '@' before the host's
    if (at == authority.npos) return std::string(url);
    const auto colon = authority.find(':');
    if (colon == authority.npos || colon > at || colon + 1 == at) return std::string(url);
    std::string masked(url.substr(0, authority_start + colon + 1));
    masked += "***";
    masked += url.substr(authority_start + at);
    return masked;
}

bool is_valid_utf8(std::string_view text, std::size_t* code_points) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t value = 0;
        if (lead < 0x80) {
            length = 1;
            value = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            value = lead & 0x1Fu;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            value = lead & 0x0Fu;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            value = lead & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t j = 1; j < length; ++j) {
            const auto next = static_cast<unsigned char>(text[i + j]);
            if ((next & 0xC0) != 0x80) return false;
            value = (value << 6) | (next & 0x3Fu);
        }
        static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (value < smallest[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            return false;
        i += length;
    }
    if (code_points != nullptr) *code_points = count;
    return true;
}

std::string printable(std::string_view value) {
    static constexpr std::size_t limit = 200;
    std::size_t cut = std::min(value.size(), limit);
    while (cut > 0 && cut < value.size() && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    std::string shown;
    for (std::size_t i = 0; i < cut; ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c == '"' || c == '\\') {
            shown.push_back('\\');
            shown.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7F) {
            static constexpr char hex[] = "0123456789abcdef";
            shown += "\\x";
            shown.push_back(hex[c >> 4]);
            shown.push_back(hex[c & 0x0F]);
        } else {
            shown.push_back(static_cast<char>(c));
        }
    }
    if (cut < value.size()) shown += "...";
    return shown;
}

bool is_instance_id(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (const char c : text) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                             c == '_' || c == '-';
        if (!allowed) return false;
    }
    return true;
}

bool is_header_name(std::string_view text) {
    constexpr std::string_view marks = "-.!%*_+`'~";
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [marks](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || marks.find(c) != std::string_view::npos;
    });
}

namespace {

// The non-empty entries of a ';'-separated list, each trimmed.
std::vector<std::string_view> semicolon_entries(std::string_view text) {
    std::vector<std::string_view> entries;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(';', start), text.size());
        if (const std::string_view entry = trim_blanks(text.substr(start, end - start)); !entry.empty())
            entries.push_back(entry);
        start = end + 1;
    }
    return entries;
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> parse_header_list(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> headers;
    for (const std::string_view entry : semicolon_entries(text)) {
        const auto colon = entry.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        const std::string_view name = trim_blanks(entry.substr(0, colon));
        const std::string_view value = trim_blanks(entry.substr(colon + 1));
        if (!is_header_name(name) ||
            std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return std::nullopt;
        headers.emplace_back(name, value);
    }
    return headers;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_dialled_names(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const std::string_view entry : semicolon_entries(text)) {
        const auto equals = entry.find('=');
        if (equals == std::string_view::npos) return std::nullopt;
        const std::string_view number = trim_blanks(entry.substr(0, equals));
        const std::string_view name = trim_blanks(entry.substr(equals + 1));
        std::size_t characters = 0;
        if (number.empty() || name.empty() || !is_valid_utf8(name, &characters) || characters > 100 ||
            std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return std::nullopt;
        names.emplace_back(number, name);
    }
    return names;
}

}  // namespace ff::config
