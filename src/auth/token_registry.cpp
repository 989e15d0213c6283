// Tokens are 256 random bits; only their SHA-256 is kept, so a leaked database reveals no usable token.
#include "auth/token_registry.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>
#include <mutex>

#include "calls/call_registry.hpp"

namespace ff::auth {
namespace {

constexpr std::string_view token_prefix = "fft_";

// libsodium must be initialised once before its random generator is used; later calls are no-ops.
void ensure_sodium() {
    static const bool ready = [] { return sodium_init() >= 0; }();
    if (!ready) std::abort();  // no safe randomness: nothing secure can be done
}

}  // namespace

std::string generate_token() {
    ensure_sodium();
    std::array<unsigned char, 32> secret{};
    randombytes_buf(secret.data(), secret.size());
    constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::array<char, sodium_base64_ENCODED_LEN(32, variant)> text{};
    sodium_bin2base64(text.data(), text.size(), secret.data(), secret.size(), variant);
    sodium_memzero(secret.data(), secret.size());
    return std::string(token_prefix) + text.data();
}

std::string hash_token(std::string_view token) {
    ensure_sodium();
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return hex.data();
}

IssuedToken issue_token(std::string name, Role role, std::string extension) {
    IssuedToken issued;
    issued.secret = generate_token();
    issued.record.id = calls::new_uuid();
    issued.record.name = std::move(name);
    issued.record.role = std::string(to_string(role));
    issued.record.extension = role == Role::operator_ ? std::move(extension) : std::string{};
    issued.record.hash = hash_token(issued.secret);
    issued.record.created_at = calls::now_ms();
    return issued;
}

void TokenRegistry::on_revocation(std::function<void()> listener) {
    std::unique_lock lock(mutex_);
    on_revocation_ = std::move(listener);
}

void TokenRegistry::revoked() const {
    std::function<void()> listener;
    {
        std::shared_lock lock(mutex_);
        listener = on_revocation_;
    }
    if (listener) listener();
}

void TokenRegistry::load(const std::vector<TokenRecord>& records) {
    {
        std::unique_lock lock(mutex_);
        by_hash_.clear();
        for (const auto& record : records) by_hash_[record.hash] = record;
    }
    revoked();
}

void TokenRegistry::add(const TokenRecord& record) {
    std::unique_lock lock(mutex_);
    by_hash_[record.hash] = record;
}

void TokenRegistry::revoke(const std::string& token_id) {
    {
        std::unique_lock lock(mutex_);
        for (auto& [hash, record] : by_hash_) {
            if (record.id == token_id && !record.revoked_at) record.revoked_at = calls::now_ms();
        }
    }
    revoked();
}

std::optional<Principal> TokenRegistry::authenticate(std::string_view token) const {
    if (token.empty()) return std::nullopt;
    // The map is keyed by the hash of the secret, so the lookup itself reveals nothing useful about
    // the token; the final comparison is still constant-time as a matter of principle.
    const std::string hash = hash_token(token);
    std::shared_lock lock(mutex_);
    const auto found = by_hash_.find(hash);
    if (found == by_hash_.end()) return std::nullopt;
    const TokenRecord& record = found->second;
    if (record.hash.size() != hash.size() || sodium_memcmp(record.hash.data(), hash.data(), hash.size()) != 0)
        return std::nullopt;
    if (record.revoked_at) return std::nullopt;
    const auto role = parse_role(record.role);
    if (!role) return std::nullopt;
    if (*role == Role::operator_ && record.extension.empty()) return std::nullopt;  // bound to nothing
    return Principal{record.id, record.name, *role, record.extension};
}

bool TokenRegistry::has_admin() const {
    std::shared_lock lock(mutex_);
    for (const auto& [hash, record] : by_hash_) {
        if (!record.revoked_at && record.role == "admin") return true;
    }
    return false;
}

}  // namespace ff::auth
