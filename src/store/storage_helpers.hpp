// What every storage backend shares apart from its SQL: times as epoch milliseconds, the assembly of calls
// with their orders and notes, the statistics derived from a backend's counts, and the read-failure log.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calls/call.hpp"
#include "store/call_log_store.hpp"

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

// Calls read by one query, then their orders and notes read by one query each (rather than two per call),
// in whatever order of calls those rows come: each row joins the call it names.
class CallAssembly {
  public:
    void add_call(calls::Call call);
    // Rows of a call that is not among the calls added are ignored.
    void add_order(const std::string& call_id, calls::OrderLink order);
    void add_note(const std::string& call_id, calls::Note note);

    bool empty() const { return calls_.empty(); }
    std::vector<calls::Call> take() { return std::move(calls_); }

  private:
    calls::Call* call_named(const std::string& call_id);

    std::vector<calls::Call> calls_;
    std::unordered_map<std::string, std::size_t> index_of_;
};

// The figures of OperatorStats that are arithmetic over a backend's counts: the average talk time, rounded
// half up, and the share of calls that brought an order.
OperatorStats operator_stats(const std::string& extension, const StatsCounts& counts);

// While the database is away every read fails alike, at the rate calls come in: one line at most every
// 10 s, saying how many failures it stands for, rather than one per call. `doing` names the operation
// only; the backends' messages carry no row values.
void log_read_failure(std::string_view doing, const std::string& message);

}  // namespace ff::store
