// Conversions every storage backend shares: times as epoch milliseconds, and logged fallbacks for readers.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

inline std::int64_t to_ms(calls::TimePoint time) {
    return time.time_since_epoch().count();
}

inline std::optional<std::int64_t> to_ms(const std::optional<calls::TimePoint>& time) {
    if (!time) return std::nullopt;
    return to_ms(*time);
}

inline calls::TimePoint from_ms(std::int64_t ms) {
    return calls::TimePoint{std::chrono::milliseconds{ms}};
}

inline std::optional<calls::TimePoint> from_ms(const std::optional<std::int64_t>& ms) {
    if (!ms) return std::nullopt;
    return from_ms(*ms);
}

// While the database is away every read fails alike, at the rate calls come in: one line at most every
// 10 s, saying how many failures it stands for, rather than one per call.
inline void log_read_failure(std::string_view doing, const std::string& message) {
    using Clock = std::chrono::steady_clock;
    static std::mutex mutex;
    static std::optional<Clock::time_point> last_logged;
    static std::uint64_t held_back = 0;
    std::lock_guard lock(mutex);
    const auto now = Clock::now();
    if (last_logged && now - *last_logged < std::chrono::seconds(10)) {
        ++held_back;
        return;
    }
    if (held_back > 0) {
        spdlog::error("storage: {} failed: {} ({} earlier read failure(s) in the last 10 s not logged)",
                      doing, message, held_back);
    } else {
        spdlog::error("storage: {} failed: {}", doing, message);
    }
    last_logged = now;
    held_back = 0;
}

// For the Storage readers whose signature has no room for an error: log it and answer `fallback`.
// The message names the operation only; the backends' messages carry no row values.
template <class T>
T value_or_logged(calls::Result<T>&& result, std::string_view doing, T fallback) {
    if (result) return std::move(result).value();
    log_read_failure(doing, result.error().message);
    return fallback;
}

}  // namespace ff::store
