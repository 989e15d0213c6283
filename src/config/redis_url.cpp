// Percent-escapes are decoded in the user and the password, so a password may hold ':' '@' or '/'.
#include "config/redis_url.hpp"

#include "config/value_checks.hpp"

namespace ff::config {
namespace {

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        const int high = hex(text[i + 1]);
        const int low = hex(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

}  // namespace

std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error) {
    constexpr std::string_view scheme = "redis://";
    if (url.substr(0, 9) == "rediss://") {
        error = "rediss:// (TLS) is not supported: reach Redis over a private network or a local TLS tunnel";
        return std::nullopt;
    }
    if (url.substr(0, scheme.size()) != scheme) {
        error = "must start with redis://";
        return std::nullopt;
    }
    std::string_view rest = url.substr(scheme.size());
    const auto path_at = rest.find('/');
    std::string_view authority = rest.substr(0, path_at);
    const std::string_view path = path_at == std::string_view::npos ? std::string_view{} : rest.substr(path_at + 1);
    if (authority.find_first_of("?#") != std::string_view::npos || path.find_first_of("?#") != std::string_view::npos) {
        error = "query parameters are not supported; use redis://[[user]:password@]host[:port][/db]";
        return std::nullopt;
    }

    RedisEndpoint endpoint;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view user_info = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        const auto colon = user_info.find(':');
        const auto user = percent_decode(user_info.substr(0, colon));
        const auto password =
            colon == std::string_view::npos ? std::optional<std::string>("") : percent_decode(user_info.substr(colon + 1));
        if (!user || !password) {
            error = "the user or password has a broken %-escape";
            return std::nullopt;
        }
        // redis://secret@host is the common short form for a password alone.
        if (colon == std::string_view::npos) {
            endpoint.password = *user;
        } else {
            endpoint.username = *user;
            endpoint.password = *password;
        }
    }
    const auto host = parse_host_port(authority);
    if (!host || host->host.empty()) {
        error = "the host or port is not valid; use redis://[[user]:password@]host[:port][/db]";
        return std::nullopt;
    }
    endpoint.host = host->host;
    if (host->port) endpoint.port = *host->port;
    if (!path.empty()) {
        const auto database = parse_integer(path, 0, 1000);
        if (!database) {
            error = "the database after '/' must be a number from 0 to 1000";
            return std::nullopt;
        }
        endpoint.database = static_cast<int>(*database);
    }
    return endpoint;
}

}  // namespace ff::config
