// Token buckets refilled by the time elapsed since each source's last request; a full bucket is the same as
// none, so idle sources are forgotten first when the table is full.
#include "sip/stack/flood_limit.hpp"

#include <algorithm>

namespace ff::sip {
namespace {

constexpr std::int64_t one_token = 1'000'000;

}  // namespace

std::int64_t FloodLimit::capacity() const {
    return static_cast<std::int64_t>(std::max(policy_.burst, 1)) * one_token;
}

std::int64_t FloodLimit::level(const Bucket& bucket, Clock::time_point now) const {
    if (now <= bucket.updated) return bucket.micro_tokens;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - bucket.updated).count();
    const auto missing = capacity() - bucket.micro_tokens;
    // A microsecond adds `per_second` millionths of a token.
    if (elapsed >= missing / policy_.per_second + 1) return capacity();
    return bucket.micro_tokens + elapsed * policy_.per_second;
}

FloodLimit::Verdict FloodLimit::admit(const std::string& address, Clock::time_point now) {
    Verdict verdict;
    if (!enabled() || trusted(address)) return verdict;
    auto found = buckets_.find(address);
    if (found == buckets_.end()) {
        make_room(now);
        found = buckets_.emplace(address, Bucket{capacity(), now, 0}).first;
    }
    Bucket& bucket = found->second;
    bucket.micro_tokens = level(bucket, now);
    bucket.updated = std::max(bucket.updated, now);
    if (bucket.micro_tokens >= one_token) {
        bucket.micro_tokens -= one_token;
        verdict.refused_before = bucket.refused;
        bucket.refused = 0;
        return verdict;
    }
    verdict.admitted = false;
    verdict.first_refusal = ++bucket.refused == 1;
    const auto wait_us = (one_token - bucket.micro_tokens + policy_.per_second - 1) / policy_.per_second;
    verdict.retry_after = std::max(
        std::chrono::ceil<std::chrono::seconds>(std::chrono::microseconds(wait_us)), std::chrono::seconds(1));
    return verdict;
}

void FloodLimit::trust(const std::vector<std::string>& addresses) {
    trusted_ = std::unordered_set<std::string>(addresses.begin(), addresses.end());
    for (const auto& address : trusted_) buckets_.erase(address);
}

void FloodLimit::make_room(Clock::time_point now) {
    if (buckets_.size() < policy_.max_tracked_sources) return;
    // Sources whose bucket has filled up again and that are not being refused: forgetting them changes
    // nothing.
    std::erase_if(buckets_, [&](const auto& entry) {
        return entry.second.refused == 0 && level(entry.second, now) >= capacity();
    });
    if (buckets_.size() < policy_.max_tracked_sources) return;
    // Still full: forget the source heard from longest ago.
    const auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) {
        return a.second.updated < b.second.updated;
    });
    if (oldest != buckets_.end()) buckets_.erase(oldest);
}

}  // namespace ff::sip
