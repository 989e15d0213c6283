// Conversions every storage backend shares: times as epoch milliseconds, and logged fallbacks for readers.
#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
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

// For the Storage readers whose signature has no room for an error: log it and answer `fallback`.
// The message names the operation only; the backends' messages carry no row values.
template <class T>
T value_or_logged(calls::Result<T>&& result, std::string_view doing, T fallback) {
    if (result) return std::move(result).value();
    spdlog::error("storage: {} failed: {}", doing, result.error().message);
    return fallback;
}

}  // namespace ff::store
