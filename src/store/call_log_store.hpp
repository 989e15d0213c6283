// The call log as the rest of the service sees it; SQLite and PostgreSQL implement it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

struct CallQuery {
    std::optional<std::string> extension;  // only this operator's calls (operators' tokens)
    std::optional<std::string> phone;      // E.164 or extension: calls from or to it
    int limit = 100;
    int offset = 0;
};

struct CallPage {
    std::vector<calls::Call> calls;  // newest first, with customer, orders and notes
    std::int64_t total = 0;          // all calls matching the query, ignoring limit/offset
};

// Calls of one operator whose start time falls in [from, until).
struct StatsQuery {
    std::string extension;
    calls::TimePoint from;
    calls::TimePoint until;
};

struct OperatorStats {
    std::string extension;
    std::int64_t total_calls = 0;
    std::int64_t inbound_calls = 0;
    std::int64_t outbound_calls = 0;
    std::int64_t answered_calls = 0;   // calls with an answer time
    std::int64_t missed_calls = 0;     // end reason "missed"
    std::int64_t average_duration = 0;  // talk seconds per answered call, rounded
    std::int64_t total_duration = 0;    // talk seconds
    std::int64_t orders_linked = 0;     // orders linked to these calls
    std::int64_t calls_with_orders = 0;
    double conversion_rate = 0;  // calls_with_orders / total_calls, 0 when there are no calls
};

// What import_calls wrote: calls new to this log, and the orders and notes that came with them.
struct ImportCounts {
    std::int64_t calls = 0;
    std::int64_t orders = 0;
    std::int64_t notes = 0;
};

class CallLogStore {
public:
    virtual ~CallLogStore() = default;

    // Inserts or updates the call's own fields (parties, status, times, reason, extension, Call-ID).
    // The customer is written only if the call has one and the stored row has none; orders and notes
    // are never touched here: the link_* calls own them.
    virtual calls::Status record_call(const calls::Call& call) = 0;

    virtual std::optional<calls::Call> find_call(const std::string& call_id) = 0;
    virtual CallPage list_calls(const CallQuery& query) = 0;

    virtual calls::Result<calls::Call> link_customer(const std::string& call_id, const calls::Customer& customer) = 0;
    // Linking the same order twice is not an error and does not duplicate it.
    virtual calls::Result<calls::Call> link_order(const std::string& call_id, const std::string& order_id) = 0;
    virtual calls::Result<calls::Call> add_note(const std::string& call_id, const std::string& text,
                                                const std::string& author) = 0;

    virtual OperatorStats stats(const StatsQuery& query) = 0;

    // The customer most recently linked to a call with this number (for the incoming-call popup).
    virtual std::optional<calls::Customer> last_customer_for_phone(const std::string& phone) = 0;

    // Moving a log to another backend (copy-log): up to `limit` calls whose id sorts after `after_id`
    // ("" from the start), in id order, each with its customer, orders and notes. Id order is stable
    // whatever the start times, so the caller can go through the whole log one batch at a time.
    virtual calls::Result<std::vector<calls::Call>> calls_after(const std::string& after_id, int limit) = 0;

    // Writes calls read from another log as they were: times, orders with their link times, notes with
    // their ids (a new one where this log already uses it), authors and times. One transaction: all or
    // nothing. A call whose id is here already is skipped with its orders and notes.
    virtual calls::Result<ImportCounts> import_calls(const std::vector<calls::Call>& calls) = 0;
};

}  // namespace ff::store
