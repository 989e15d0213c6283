// What every storage backend shares apart from its SQL: times as epoch milliseconds, the assembly of calls
// with their orders and notes, the statistics derived from a backend's counts, and the read-failure log.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calls/call.hpp"
#include "store/call_log_store.hpp"
#include "store/sms_store.hpp"

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

// What a call has in tables of its own, read after the calls themselves: one query per kind.
enum class Linked { orders, notes, operators };
inline constexpr std::array<Linked, 3> every_link{Linked::orders, Linked::notes, Linked::operators};

// Calls read by one query, then their orders, notes and operator turns read by one query each (rather than two per call),
// in whatever order of calls those rows come: each row joins the call it names.
class CallAssembly {
  public:
    void add_call(calls::Call call);
    // Rows of a call that is not among the calls added are ignored.
    void add_order(const std::string& call_id, calls::OrderLink order);
    void add_note(const std::string& call_id, calls::Note note);
    // Turns come in their order (by position) for each call.
    void add_turn(const std::string& call_id, calls::OperatorTurn turn);

    bool empty() const { return calls_.empty(); }
    // The calls, each with one turn at least when it has an extension (a row the log wrote before turns
    // were kept gets its single turn from the call itself).
    std::vector<calls::Call> take();

  private:
    calls::Call* call_named(const std::string& call_id);

    std::vector<calls::Call> calls_;
    std::unordered_map<std::string, std::size_t> index_of_;
};

// The operator turns record_call writes (table call_operators, by position): the call's own, or for a call
// made without them (an older spool line or cluster message) the one its extension implies.
std::vector<calls::OperatorTurn> turns_to_record(const calls::Call& call);

// The media report as its column keeps it (the API's JSON form, null for calls rtpengine did not anchor), and
// back; a column that does not read as one is no report, and is logged.
std::optional<std::string> media_column(const calls::Call& call);
std::optional<calls::MediaReport> media_from_column(const std::string& call_id, const std::optional<std::string>& text);

// The recording as its column keeps it (the API's JSON form), and back; a column that does not read as one is
// no recording, and is logged.
std::optional<std::string> recording_column(const calls::Call& call);
std::string recording_column(const calls::Recording& recording);
// The calls' `sms` column: the call's SMS as the API shows them (JSON), rebuilt from call_sms on each change.
std::vector<calls::SmsMessage> sms_from_column(const std::string& call_id, const std::optional<std::string>& text);
// The decision begin_sms writes down for an attempt, given this call's and this number's earlier ones.
// Why the attempt is not sent, given when the number last had an SMS sent (or sending); nullopt: send it.
std::optional<std::string> sms_skip_reason(const SmsAttempt& attempt, std::optional<std::int64_t> last_to_number);
std::optional<calls::Recording> recording_from_column(const std::string& call_id,
                                                      const std::optional<std::string>& text);

// The figures of OperatorStats that are arithmetic over a backend's counts: the average talk time, rounded
// half up, and the share of calls that brought an order.
OperatorStats operator_stats(const std::string& extension, const StatsCounts& counts);

// While the database is away every read fails alike, at the rate calls come in: one line at most every
// 10 s, saying how many failures it stands for, rather than one per call. `doing` names the operation
// only; the backends' messages carry no row values.
void log_read_failure(std::string_view doing, const std::string& message);

}  // namespace ff::store
