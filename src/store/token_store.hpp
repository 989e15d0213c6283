// Persistence of API tokens. Only a hash of each token is stored; the token itself is shown once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

struct TokenRecord {
    std::string id;    // public identifier (UUID), used to revoke
    std::string name;  // who it is for, shown in the settings page and used as note author
    std::string role;  // operator | supervisor | admin
    std::string extension;  // for operators
    std::string hash;       // hex SHA-256 of the token
    calls::TimePoint created_at;
    std::optional<calls::TimePoint> revoked_at;
};

class TokenStore {
public:
    virtual ~TokenStore() = default;
    // Revoked ones included. An error, named and logged, when the database cannot answer (storage_shared.cpp).
    calls::Result<std::vector<TokenRecord>> list_tokens();
    virtual calls::Status insert_token(const TokenRecord& token) = 0;
    virtual calls::Status revoke_token(const std::string& id, calls::TimePoint at) = 0;  // not_found if unknown

protected:
    virtual calls::Result<std::vector<TokenRecord>> select_tokens() = 0;  // the backend's SQL
};

}  // namespace ff::store
