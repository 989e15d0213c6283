// X-FoodFlow-Signature: how a receiver knows a delivery came from this service and is not a replay.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ff::webhooks {

// Lower-case hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// "t=<unix seconds>,v1=<hmac_sha256_hex(secret, "<unix seconds>.<body>")>": the time is signed with the body,
// so a receiver that refuses old times refuses a replayed delivery.
std::string signature_header(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

// A new webhook's secret: "whsec_" and 32 random bytes in hex.
std::string new_secret();

// A new event's id: "evt_" and 16 random bytes in hex.
std::string new_event_id();

}  // namespace ff::webhooks
