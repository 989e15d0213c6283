// Feeds: one configuration value to every reader of values: host and port, http URL, REDIS_URL, DATABASE_URL,
// SIP_USERS, the stored PBX settings document, integers, UTF-8. Asserts: what a reader accepts, written back,
// is accepted again the same; SIP_USERS never lists a user that fails its own validation nor shows a
// password in an error; printable() gives no control character.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/redis_url.hpp"
#include "config/settings_validation.hpp"
#include "config/value_checks.hpp"
#include "fuzz_check.hpp"
#include "store/database_url.hpp"
#include "store/pbx_settings_document.hpp"

using namespace ff::config;

namespace {

std::string bracketed(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

void check_host_port(std::string_view text) {
    const auto parsed = parse_host_port(text);
    if (!parsed) return;
    FUZZ_CHECK(is_host(parsed->host));
    std::string written = bracketed(parsed->host);
    if (parsed->port) written += ":" + std::to_string(*parsed->port);
    const auto again = parse_host_port(written);
    FUZZ_CHECK(again && again->host == parsed->host && again->port == parsed->port);
}

void check_http_url(std::string_view text) {
    const auto parsed = parse_http_url(text);
    if (!parsed) return;
    FUZZ_CHECK(parsed->target.starts_with('/'));
    const std::string written =
        "http://" + bracketed(parsed->host) + ":" + std::to_string(parsed->port) + parsed->target;
    const auto again = parse_http_url(written);
    FUZZ_CHECK(again && again->host == parsed->host && again->port == parsed->port &&
               again->target == parsed->target);
}

void check_sip_users(std::string_view text) {
    const auto parsed = parse_sip_users(text);
    for (const auto& user : parsed.users) FUZZ_CHECK(validate_sip_user(user).empty());
    for (const auto& error : parsed.errors) {
        // The entry's second field is its password: at least a few characters of it must not show.
        std::size_t start = 0;
        for (std::size_t entry = 1; entry < error.entry; ++entry) start = text.find(',', start) + 1;
        const std::string_view entry = text.substr(start, text.find(',', start) - start);
        const auto colon = entry.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view password = entry.substr(colon + 1, entry.find(':', colon + 1) - colon - 1);
        if (password.size() >= 8 && entry.substr(0, colon).find(password) == std::string_view::npos &&
            entry.substr(colon + 1 + password.size()).find(password) == std::string_view::npos)
            FUZZ_CHECK(error.shown_entry.find(password) == std::string::npos);
    }
}

void check_pbx_document(const std::string& text) {
    const auto parsed = ff::store::parse_pbx_settings_document(text);
    if (!parsed) return;
    const std::string written = ff::store::pbx_settings_document(parsed.value());
    const auto again = ff::store::parse_pbx_settings_document(written);
    FUZZ_CHECK(again && again.value() == parsed.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    check_host_port(text);
    check_http_url(text);
    check_sip_users(text);
    check_pbx_document(text);

    std::string error;
    if (const auto redis = parse_redis_url(text, error)) {
        FUZZ_CHECK(!redis->host.empty() && redis->database >= 0);
    } else {
        FUZZ_CHECK(!error.empty());
    }
    (void)ff::store::parse_database_url(text);
    (void)mask_url_password(text);

    if (const auto number = parse_integer(text, -1000, 100000))
        FUZZ_CHECK(*number >= -1000 && *number <= 100000);
    std::size_t characters = 0;
    if (is_valid_utf8(text, &characters)) FUZZ_CHECK(characters <= text.size());
    for (const char c : printable(text)) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    (void)is_instance_id(text);
    (void)parse_sip_transport(text);
    (void)to_upper_ascii(trim_blanks(text));
    return 0;
}
