// The tokens the service accepts, kept in memory (hashes only) so checking one never touches the disk.
#pragma once

#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/principal.hpp"
#include "auth/token_record.hpp"

namespace ff::auth {

// A new random token as shown once to its owner: "fft_" + 43 base64url characters (256 bits).
std::string generate_token();
// Hex SHA-256 of a token: what is stored and compared.
std::string hash_token(std::string_view token);

// A freshly issued token: the secret to show once and the record to store (hash, new id, creation time).
struct IssuedToken {
    std::string secret;
    TokenRecord record;
};
IssuedToken issue_token(std::string name, Role role, std::string extension);

// Thread-safe: authenticate() runs on the network threads, changes come from the API and start-up.
class TokenRegistry {
  public:
    void load(const std::vector<TokenRecord>& records);  // replaces everything
    void add(const TokenRecord& record);
    void revoke(const std::string& token_id);

    // Constant-time comparison of the hash; nullopt for unknown or revoked tokens.
    std::optional<Principal> authenticate(std::string_view token) const;
    bool has_admin() const;

    // Called after every load() and revoke(), on their thread, so that what holds a token already (a socket)
    // can be checked again; set once at start-up, before any change.
    void on_revocation(std::function<void()> listener);

  private:
    void revoked() const;

    std::function<void()> on_revocation_;  // under mutex_
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, TokenRecord> by_hash_;
};

}  // namespace ff::auth
