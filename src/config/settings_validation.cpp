// What a PBX address and a PBX account may look like; messages name the field so a form can point at it.
#include "config/settings_validation.hpp"

#include <set>

#include "config/value_checks.hpp"

namespace ff::config {
namespace {

constexpr std::size_t max_username = 64;
constexpr std::size_t max_password = 128;
constexpr std::size_t max_display_name = 64;  // characters, not bytes

// RFC 3261 user part without escapes, minus ',' and ':' which separate SIP_USERS entries and fields.
bool is_username_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("-_.!~*'()&=+$;?/").find(c) != std::string_view::npos;
}

bool has_control_char(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) return true;
    }
    return false;
}

std::string port_range_message(std::string_view field, int min) {
    return std::string(field) + " must be a port number from " + std::to_string(min) + " to 65535";
}

}  // namespace

std::optional<SipTransport> parse_sip_transport(std::string_view text) {
    const std::string upper = to_upper_ascii(text);
    if (upper == "UDP") return SipTransport::udp;
    if (upper == "TCP") return SipTransport::tcp;
    if (upper == "TLS") return SipTransport::tls;
    return std::nullopt;
}

std::vector<FieldError> validate_pbx_settings(const PbxSettings& settings) {
    std::vector<FieldError> errors;
    if (!settings.server.empty() && !is_host(settings.server)) {
        errors.push_back({"server", "server must be a host name or an IP address, without a port"});
    }
    if (settings.port == 0) errors.push_back({"port", port_range_message("port", 1)});
    const bool min_ok = settings.rtp_port_min >= 1024;
    const bool max_ok = settings.rtp_port_max >= 1024;
    if (!min_ok) errors.push_back({"rtpPortMin", port_range_message("rtpPortMin", 1024)});
    if (!max_ok) errors.push_back({"rtpPortMax", port_range_message("rtpPortMax", 1024)});
    if (min_ok && max_ok && settings.rtp_port_min > settings.rtp_port_max) {
        errors.push_back({"rtpPortMax", "rtpPortMax must not be below rtpPortMin"});
    }
    if (!settings.stun_server.empty() && !parse_host_port(settings.stun_server)) {
        errors.push_back({"stunServer", "stunServer must be host or host:port"});
    }
    return errors;
}

std::vector<FieldError> validate_sip_user(const SipUser& user) {
    std::vector<FieldError> errors;
    const std::string_view extension = user.extension;
    if (extension.size() < 2 || extension.size() > 8 || !parse_integer(extension, 0, 99'999'999)) {
        errors.push_back({"extension", "extension must be 2 to 8 digits"});
    }
    bool username_ok = !user.username.empty() && user.username.size() <= max_username;
    for (const char c : user.username) username_ok = username_ok && is_username_char(c);
    if (!username_ok) {
        errors.push_back(
            {"username", "username must be 1 to 64 characters: letters, digits or -_.!~*'()&=+$;?/"});
    }
    if (user.password.empty()) {
        errors.push_back({"password", "password must not be empty"});
    } else if (user.password.size() > max_password || has_control_char(user.password)) {
        errors.push_back({"password", "password must be at most 128 characters without control characters"});
    }
    std::size_t characters = 0;
    if (!is_valid_utf8(user.display_name, &characters) || has_control_char(user.display_name) ||
        characters > max_display_name) {
        errors.push_back({"displayName", "displayName must be at most 64 characters of UTF-8 text"});
    }
    return errors;
}

SipUsersParse parse_sip_users(std::string_view text) {
    SipUsersParse result;
    if (trim_blanks(text).empty()) return result;
    std::set<std::string> extensions;
    std::size_t index = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string_view entry =
            trim_blanks(text.substr(start, comma == text.npos ? text.npos : comma - start));
        start = comma == text.npos ? text.size() + 1 : comma + 1;
        ++index;

        // Fields are split at the first three colons: the display name keeps any further ones.
        std::vector<std::string_view> fields;
        std::size_t field_start = 0;
        while (fields.size() < 3) {
            const auto colon = entry.find(':', field_start);
            if (colon == entry.npos) break;
            fields.push_back(entry.substr(field_start, colon - field_start));
            field_start = colon + 1;
        }
        fields.push_back(entry.substr(field_start));

        // The password is never shown, even when the entry is malformed: without a colon the whole
        // entry may be one, so nothing of it is shown.
        std::string shown = fields.size() < 2 ? std::string("***") : std::string();
        for (std::size_t i = 0; i < fields.size() && fields.size() >= 2; ++i) {
            if (i > 0) shown += ':';
            shown += i == 1 ? std::string("***") : std::string(fields[i]);
        }
        if (fields.size() < 3) {
            result.errors.push_back({index, shown, "username:password:extension:displayName"});
            continue;
        }
        SipUser user;
        user.username = std::string(trim_blanks(fields[0]));
        user.password = std::string(fields[1]);
        user.extension = std::string(trim_blanks(fields[2]));
        user.display_name = fields.size() > 3 ? std::string(trim_blanks(fields[3])) : std::string();
        const auto problems = validate_sip_user(user);
        if (!problems.empty()) {
            std::string expected;
            for (const auto& problem : problems) expected += (expected.empty() ? "" : "; ") + problem.message;
            result.errors.push_back({index, shown, expected});
            continue;
        }
        if (!extensions.insert(user.extension).second) {
            result.errors.push_back(
                {index, shown, "a unique extension (" + user.extension + " is repeated)"});
            continue;
        }
        result.users.push_back(std::move(user));
    }
    return result;
}

}  // namespace ff::config
