// REDIS_URL: where the instances of one call centre meet (shared active calls, events, control requests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ff::config {

struct RedisEndpoint {
    std::string host;      // without brackets for IPv6
    std::uint16_t port = 6379;
    std::string username;  // Redis 6 ACL user; empty: the default user
    std::string password;  // empty: no AUTH
    int database = 0;      // SELECT
};

// redis://[[username]:password@]host[:port][/db]. `error` says what is wrong without repeating the password.
std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error);

}  // namespace ff::config
