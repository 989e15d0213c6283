// Floods from one address: a token bucket per source address for the new requests the service answers
// itself (INVITE, REGISTER, OPTIONS ...). Trusted addresses (the PBX) are never counted. Plain data, no SIP.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ff::sip {

struct FloodPolicy {
    int per_second = 20;  // tokens added per second to each source's bucket; 0: no limit at all
    int burst = 100;      // a bucket's size: what a source may send at once after a quiet while
    std::size_t max_tracked_sources = 10000;  // memory bound against floods from many (spoofed) addresses
};

class FloodLimit {
  public:
    using Clock = std::chrono::steady_clock;

    struct Verdict {
        bool admitted = true;
        // This refusal starts a run of refusals of that source (the first since it was last admitted).
        bool first_refusal = false;
        // This admission ends a run of refusals: `refused_before` requests of that source were refused.
        std::uint64_t refused_before = 0;
        std::chrono::seconds retry_after{0};  // for a refusal: until the bucket holds a token again
    };

    explicit FloodLimit(FloodPolicy policy) : policy_(policy) {}

    // A new request from `address` at `now`: admitted (and counted), or refused.
    Verdict admit(const std::string& address, Clock::time_point now);

    // Addresses never limited nor counted (the PBX); replaces the earlier set.
    void trust(const std::vector<std::string>& addresses);
    bool trusted(const std::string& address) const { return trusted_.contains(address); }

    bool enabled() const { return policy_.per_second > 0; }
    std::size_t tracked() const { return buckets_.size(); }
    const FloodPolicy& policy() const { return policy_; }

  private:
    // Tokens are kept in millionths: a microsecond's refill at any rate is a whole number of them.
    struct Bucket {
        std::int64_t micro_tokens = 0;
        Clock::time_point updated{};
        std::uint64_t refused = 0;  // in the current run of refusals
    };
    std::int64_t capacity() const;
    std::int64_t level(const Bucket& bucket, Clock::time_point now) const;  // tokens at `now`
    void make_room(Clock::time_point now);

    FloodPolicy policy_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::unordered_set<std::string> trusted_;
};

}  // namespace ff::sip
