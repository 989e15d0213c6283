// HMAC and random bytes from OpenSSL.
#include "webhooks/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace ff::webhooks {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        text.push_back(digits[bytes[i] >> 4]);
        text.push_back(digits[bytes[i] & 0x0f]);
    }
    return text;
}

template <std::size_t Size>
std::string random_hex() {
    std::array<unsigned char, Size> bytes{};
    // Without randomness a secret or an id would be guessable: better no webhook than that.
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("the system's random number generator failed");
    return hex(bytes.data(), bytes.size());
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest.data(), &length);
    return hex(digest.data(), length);
}

std::string signature_header(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
    const std::string time = std::to_string(unix_seconds);
    std::string signed_text;
    signed_text.reserve(time.size() + 1 + body.size());
    signed_text.append(time).append(".").append(body);
    return "t=" + time + ",v1=" + hmac_sha256_hex(secret, signed_text);
}

std::string new_secret() {
    return "whsec_" + random_hex<32>();
}

std::string new_event_id() {
    return "evt_" + random_hex<16>();
}

}  // namespace ff::webhooks
