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
    std::optional<std::string> dialled{};  // only calls that dialled this number of the centre
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
    std::string dialled{};  // only calls that dialled this number of the centre ("" for all)
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
    std::int64_t one_way_audio_calls = 0;  // answered calls where one side was not heard (MEDIA=rtpengine)
    double conversion_rate = 0;  // calls_with_orders / total_calls, 0 when there are no calls
};

// What a backend's statistics query counts; the other figures of OperatorStats are derived from these in
// one place for every backend (storage_shared.cpp).
struct StatsCounts {
    std::int64_t total_calls = 0;
    std::int64_t inbound_calls = 0;
    std::int64_t outbound_calls = 0;
    std::int64_t answered_calls = 0;
    std::int64_t missed_calls = 0;
    std::int64_t total_duration = 0;
    std::int64_t orders_linked = 0;
    std::int64_t calls_with_orders = 0;
    std::int64_t one_way_audio_calls = 0;
};

// What import_calls wrote: calls new to this log, and the orders and notes that came with them.
struct ImportCounts {
    std::int64_t calls = 0;
    std::int64_t orders = 0;
    std::int64_t notes = 0;
};

// The public readers and links are written once for every backend (storage_shared.cpp); a backend
// implements only the protected statements below and the virtual writes.
class CallLogStore {
public:
    virtual ~CallLogStore() = default;

    // Inserts or updates the call's own fields (parties, status, times, reason, extension, Call-ID).
    // The customer is written only if the call has one and the stored row has none; orders and notes
    // are never touched here: the link_* calls own them.
    virtual calls::Status record_call(const calls::Call& call) = 0;

    // Reads. A read the database cannot answer is an error naming what failed ("listing calls: ..."),
    // never an empty page or zero figures in its place; it is also logged (one line at most every 10 s).
    // find_call: the call with its orders and notes; nullopt when the log has no such call.
    calls::Result<std::optional<calls::Call>> find_call(const std::string& call_id);
    calls::Result<CallPage> list_calls(const CallQuery& query);
    calls::Result<OperatorStats> stats(const StatsQuery& query);
    // The customer most recently linked to a call with this number (for the incoming-call popup).
    calls::Result<std::optional<calls::Customer>> last_customer_for_phone(const std::string& phone);

    // The CRM's links: written, then the call read back with everything linked to it. A call that is not
    // in the log is not_found naming it. Linking the same order twice is not an error and does not
    // duplicate it.
    calls::Result<calls::Call> link_customer(const std::string& call_id, const calls::Customer& customer);
    calls::Result<calls::Call> link_order(const std::string& call_id, const std::string& order_id);
    calls::Result<calls::Call> add_note(const std::string& call_id, const std::string& text,
                                        const std::string& author);

    // The call's recording once it is known (ready or failed), then the call read back; not_found as above.
    calls::Result<calls::Call> set_recording(const std::string& call_id, const calls::Recording& recording);

    // Moving a log to another backend (copy-log): up to `limit` calls whose id sorts after `after_id`
    // ("" from the start), in id order, each with its customer, orders and notes. Id order is stable
    // whatever the start times, so the caller can go through the whole log one batch at a time.
    virtual calls::Result<std::vector<calls::Call>> calls_after(const std::string& after_id, int limit) = 0;

    // Writes calls read from another log as they were: times, orders with their link times, notes with
    // their ids (a new one where this log already uses it), authors and times. One transaction: all or
    // nothing. A call whose id is here already is skipped with its orders and notes.
    virtual calls::Result<ImportCounts> import_calls(const std::vector<calls::Call>& calls) = 0;

protected:
    // Each backend's SQL for the readers above; their errors are the backend's own.
    virtual calls::Result<std::optional<calls::Call>> select_call(const std::string& call_id) = 0;
    virtual calls::Result<CallPage> select_calls(const CallQuery& query) = 0;
    virtual calls::Result<StatsCounts> count_calls(const StatsQuery& query) = 0;
    virtual calls::Result<std::optional<calls::Customer>> select_last_customer(const std::string& phone) = 0;
    // The link writes; a call that does not exist is left alone (the read back then finds no call).
    virtual calls::Status write_customer(const std::string& call_id, const calls::Customer& customer) = 0;
    virtual calls::Status write_recording(const std::string& call_id, const calls::Recording& recording) = 0;
    virtual calls::Status write_order(const std::string& call_id, const std::string& order_id) = 0;
    virtual calls::Status write_note(const std::string& call_id, const std::string& text,
                                     const std::string& author) = 0;

private:
    calls::Result<calls::Call> read_back(const std::string& call_id, calls::Status written);
};

}  // namespace ff::store
