// Keeps the call log in step with the call model: every state change of a call is written by the store
// worker, or queued on local disk while the database is away and written once it is back.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "calls/event_bus.hpp"
#include "store/database_health.hpp"
#include "store/store_worker.hpp"
#include "store/webhook_store.hpp"

namespace ff::store {

struct CallLogWriterState;  // shared with the jobs the writer posts (call_log_writer.cpp)

struct CallLogWriterOptions {
    // Where snapshots wait while the database is away (CallLogSpool). Empty: no spool, such a snapshot
    // is counted as a failure and lost.
    std::filesystem::path spool_path;
    std::uint64_t spool_max_bytes = 100ULL * 1024 * 1024;
    std::string backend = "database";  // "PostgreSQL", "SQLite": how /health names it
    // The spool is replayed after first_retry, then at ever longer intervals up to max_retry.
    std::chrono::milliseconds first_retry{1000};
    std::chrono::milliseconds max_retry{5000};
    // How often an idle database is asked whether it is there (0: never), so /health notices it going away
    // while no call is written.
    std::chrono::milliseconds probe_interval{5000};
};

// Subscribes to the bus and writes each call event's snapshot but `updated`'s (the API writes customer, order
// and note links itself), with the webhook events the event brings in the same transaction (write_outbox_with).
// Publishing threads (SIP) only append the event to a list; one job on the worker takes every write listed by
// then and commits them together, so that a burst of calls costs the database one commit, not one per event.
// A write refused because the database cannot be reached (ErrorCode::unavailable: a lost or refused
// connection, not a constraint) puts the snapshot in the spool, and so does every later one while the
// spool holds records, so that an older snapshot of a call never lands after a newer one. A retry timer
// on the worker replays the spool in order. A spool left by an earlier run is replayed from the start.
// The bus has no unsubscribe, so the subscription outlives the writer harmlessly: once the writer is
// destroyed, events are ignored. The worker must outlive the writer.
class CallLogWriter {
  public:
    CallLogWriter(calls::EventBus& bus, StoreWorker& worker, CallLogWriterOptions options = {});
    ~CallLogWriter();

    CallLogWriter(const CallLogWriter&) = delete;
    CallLogWriter& operator=(const CallLogWriter&) = delete;

    // Turns an event of the bus (and when it happened) into the webhook events it brings; runs on the storage
    // thread. Set once, before the bus carries events.
    using Outbox = std::function<std::vector<OutboxEvent>(const calls::Event& event, std::int64_t occurred_ms)>;
    void write_outbox_with(Outbox outbox);

    // Webhook events of no bus event (a test delivery), written the same way: through the spool while the
    // database is away. Any thread.
    void write_events(std::vector<OutboxEvent> events);

    // A snapshot that did not come from this instance's bus (a dead instance's call, ended by this one),
    // written the same way: through the spool while the database is away. Any thread.
    void record(const calls::Call& snapshot);

    std::uint64_t writes() const;    // snapshots written, at once or from the spool
    std::uint64_t failures() const;  // snapshots the database refused for good (not retried)
    std::uint64_t spooled() const;   // snapshots that went to the spool

    // The latest known state, without touching the database: safe from any thread.
    DatabaseHealth health() const;
    // Hears how long each call record took to write (seconds), on the storage thread, for the metrics.
    void observe_writes(std::function<void(double seconds)> observer);

  private:
    std::shared_ptr<CallLogWriterState> state_;
};

}  // namespace ff::store
