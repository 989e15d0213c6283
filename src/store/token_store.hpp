// Persistence of API tokens (auth/token_record.hpp says what is kept).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/token_record.hpp"
#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

using auth::TokenRecord;

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
