// The SMS sent to customers after their calls: at most one of each kind per call, and none to a number that
// had one within the interval, kept with what came of it (calls' `sms`, table call_sms).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

struct SmsAttempt {
    std::string call_id;
    std::string kind;  // "missed" or "order"
    std::string phone;
    std::string text;
    std::int64_t at_ms = 0;
    std::int64_t min_interval_ms = 0;  // SMS_MIN_INTERVAL_MINUTES
};

// What begin_sms decided: send (kept as "sending" under `id`), skip (kept "skipped" with why: the number had
// one within the interval), or nothing (this call had one of this kind already).
struct SmsDecision {
    enum class Outcome { send, skipped, already } outcome = Outcome::already;
    std::int64_t id = 0;
};

class SmsStore {
  public:
    virtual ~SmsStore() = default;
    virtual calls::Result<SmsDecision> begin_sms(const SmsAttempt& attempt) = 0;
    // "sent" or "failed" with the gateway's words.
    virtual calls::Status finish_sms(std::int64_t id, const std::string& status, const std::string& detail) = 0;
};

}  // namespace ff::store
