// An API token as kept: only a hash of the token itself, which is shown once.
#pragma once

#include <optional>
#include <string>

#include "calls/call.hpp"

namespace ff::auth {

struct TokenRecord {
    std::string id;    // public identifier (UUID), used to revoke
    std::string name;  // who it is for, shown in the settings page and used as note author
    std::string role;  // operator | supervisor | admin
    std::string extension;  // for operators
    std::string hash;       // hex SHA-256 of the token
    calls::TimePoint created_at;
    std::optional<calls::TimePoint> revoked_at;
};

}  // namespace ff::auth
