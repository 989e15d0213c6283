// Call events to call-log writes, off the publisher's thread; while the database is away, to the spool and
// back. Failures are logged by call id only.
#include "store/call_log_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <variant>

#include "store/call_log_spool.hpp"

namespace ff::store {

// A write waiting for the storage thread: a record as it is, or a bus event, whose record (the call, the webhook
// events it brings) is made there so that the publisher (the SIP thread) only appends it.
struct PendingWrite {
    LogRecord record;
    std::optional<calls::Event> event;
    bool event_writes_call = false;
    std::int64_t occurred_ms = 0;
};

// Shared with the bus subscription and with queued jobs, so either may outlive the writer. The spool and
// the retry fields belong to the worker's thread; `mutex` guards the worker pointer, `health_mutex` the
// health.
struct CallLogWriterState {
    std::mutex mutex;
    StoreWorker* worker = nullptr;  // null once the writer is gone
    CallLogWriterOptions options;
    std::unique_ptr<CallLogSpool> spool;
    std::chrono::milliseconds retry_delay{0};
    bool retry_scheduled = false;
    bool spool_refusing = false;  // logged once per run of refused appends
    std::atomic<std::uint64_t> writes{0};
    std::atomic<std::uint64_t> failures{0};
    std::atomic<std::uint64_t> spooled{0};
    mutable std::mutex health_mutex;
    DatabaseHealth health;
    std::mutex observer_mutex;
    std::function<void(double seconds)> write_observer;
    std::mutex outbox_mutex;
    CallLogWriter::Outbox outbox;
    // Writes waiting for the storage thread: publishers append; one job, posted by whoever finds none posted,
    // takes all there are and writes them in one transaction.
    std::mutex pending_mutex;
    std::vector<PendingWrite> pending;
    bool drain_posted = false;
};

namespace {

using SharedState = std::shared_ptr<CallLogWriterState>;

void replay(const SharedState& state, Storage& storage);

// A connection lost or refused: the database may come back and take the same snapshot then. Any other
// refusal (a constraint) would be refused again, so it is not retried.
bool worth_retrying(const calls::Error& error) {
    return error.code == calls::ErrorCode::unavailable;
}

void update_queued(CallLogWriterState& state) {
    const std::size_t queued = state.spool ? state.spool->size() : 0;
    std::lock_guard lock(state.health_mutex);
    state.health.queued = queued;
}

void note_unreachable(CallLogWriterState& state, const calls::Error& error) {
    std::lock_guard lock(state.health_mutex);
    if (state.health.reachable) {
        spdlog::warn(
            "call log: {} unreachable, call records go to {} until it is back: {}", state.health.backend,
            state.health.spool_path.empty() ? "nowhere (no spool)" : state.health.spool_path, error.message);
        state.health.unreachable_since = calls::now_ms();
    }
    state.health.reachable = false;
    state.health.last_error = error.message;
}

void note_reachable(CallLogWriterState& state) {
    std::lock_guard lock(state.health_mutex);
    if (state.health.reachable) return;
    spdlog::info("call log: {} reachable again", state.health.backend);
    state.health.reachable = true;
    state.health.unreachable_since.reset();
    state.health.last_error.clear();
}

// Runs the replay on the worker after the current delay, which then grows up to max_retry.
void schedule_retry(const SharedState& state) {
    if (state->retry_scheduled) return;
    const auto delay = state->retry_delay.count() == 0 ? state->options.first_retry : state->retry_delay;
    state->retry_delay = std::min(delay * 2, state->options.max_retry);
    std::lock_guard lock(state->mutex);
    if (state->worker == nullptr) return;  // stopping: the spool waits on disk for the next run
    state->retry_scheduled = true;
    state->worker->post_after(delay, [state](Storage& storage) {
        state->retry_scheduled = false;
        replay(state, storage);
    });
}

// While records are queued the replay timer finds out when the database is back; otherwise this probe
// notices it going away (or back) between calls.
void schedule_probe(const SharedState& state) {
    std::lock_guard lock(state->mutex);
    if (state->worker == nullptr || state->options.probe_interval.count() == 0) return;
    state->worker->post_after(state->options.probe_interval, [state](Storage& storage) {
        if (!state->spool || state->spool->empty()) {
            const auto status = storage.check_reachable();
            if (status) {
                note_reachable(*state);
            } else if (worth_retrying(status.error())) {
                note_unreachable(*state, status.error());
            }
        }
        schedule_probe(state);
    });
}

// How logs name a record: by the call's id, or the first event's; never the customer's name or number.
std::string name_of(const LogRecord& record) {
    if (record.call) return "call " + record.call->id;
    return "webhook event " + record.events.front().id;
}

void to_spool(CallLogWriterState& state, const LogRecord& record) {
    if (auto status = state.spool->append(record); !status) {
        {
            std::lock_guard lock(state.health_mutex);
            ++state.health.lost;
        }
        if (!state.spool_refusing) {
            spdlog::error("call log: call records are being lost (first: {}): {}", name_of(record),
                          status.error().message);
        }
        state.spool_refusing = true;
        return;
    }
    if (state.spool_refusing) spdlog::info("call log: the spool takes call records again");
    state.spool_refusing = false;
    state.spooled.fetch_add(1, std::memory_order_relaxed);
    update_queued(state);
}

calls::Status write(Storage& storage, const LogRecord& record) {
    return storage.record({record});
}

void observe_write(CallLogWriterState& state, std::chrono::steady_clock::time_point started) {
    std::lock_guard lock(state.observer_mutex);
    if (state.write_observer)
        state.write_observer(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void record(const SharedState& state, Storage& storage, const LogRecord& written) {
    // Behind queued records, a snapshot waits its turn: written now, it would be overwritten by an older one.
    if (state->spool && !state->spool->empty()) {
        to_spool(*state, written);
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto status = write(storage, written);
    if (status) {
        state->writes.fetch_add(1, std::memory_order_relaxed);
        note_reachable(*state);
        if (written.call) observe_write(*state, started);
        return;
    }
    if (worth_retrying(status.error())) {
        note_unreachable(*state, status.error());
        if (state->spool) {
            to_spool(*state, written);
            schedule_retry(state);
            return;
        }
    }
    state->failures.fetch_add(1, std::memory_order_relaxed);
    // The customer's name and number stay out of the log: the call id finds them.
    spdlog::warn("call log: could not record {}: {}", name_of(written), status.error().message);
}

// Writes the spooled records oldest first. record_call is an upsert by call id: a record written here again
// after a crash (it stays in the file until the whole spool is written) only rewrites the same row, and
// the later records of the same call, replayed after it, leave the row with the newest state.
void replay(const SharedState& state, Storage& storage) {
    CallLogSpool& spool = *state->spool;
    std::size_t written = 0;
    while (!spool.empty()) {
        const auto status = write(storage, spool.front());
        if (!status && worth_retrying(status.error())) {
            note_unreachable(*state, status.error());
            update_queued(*state);
            schedule_retry(state);
            return;
        }
        if (status) {
            state->writes.fetch_add(1, std::memory_order_relaxed);
            ++written;
        } else {
            state->failures.fetch_add(1, std::memory_order_relaxed);
            spdlog::warn("call log: spooled record of {} refused, dropped: {}", name_of(spool.front()),
                         status.error().message);
        }
        spool.pop_front();
    }
    if (auto status = spool.clear(); !status) {
        // Every record is in the database: the file is only read again at the next start, harmlessly.
        spdlog::error("call log: {}", status.error().message);
    }
    state->retry_delay = std::chrono::milliseconds{0};
    note_reachable(*state);
    update_queued(*state);
    spdlog::info("call log: {} queued call record(s) written to the {}", written, state->health.backend);
}

// Writes what is pending: all of it in one transaction, or, when that fails, each record alone, so that the
// database's answer to each decides its fate as for a single write (a refused one is logged and dropped, the
// rest written; all of them to the spool when the database is away).
void write_pending(const SharedState& state, Storage& storage) {
    std::vector<PendingWrite> taken;
    {
        std::lock_guard lock(state->pending_mutex);
        taken.swap(state->pending);
        state->drain_posted = false;
    }
    std::vector<LogRecord> records;
    records.reserve(taken.size());
    for (PendingWrite& write : taken) {
        LogRecord made = std::move(write.record);
        if (write.event) {
            {
                std::lock_guard outbox_lock(state->outbox_mutex);
                if (state->outbox) made.events = state->outbox(*write.event, write.occurred_ms);
            }
            if (write.event_writes_call) made.call = std::move(std::get<calls::CallEvent>(*write.event).call);
        }
        if (made.call || !made.events.empty()) records.push_back(std::move(made));
    }
    const bool behind_spool = state->spool && !state->spool->empty();
    if (records.size() > 1 && !behind_spool) {
        const auto started = std::chrono::steady_clock::now();
        if (storage.record(records)) {
            state->writes.fetch_add(records.size(), std::memory_order_relaxed);
            note_reachable(*state);
            observe_write(*state, started);
            return;
        }
    }
    for (const LogRecord& written : records) record(state, storage, written);
}

void post_pending(const SharedState& state, PendingWrite write) {
    {
        std::lock_guard lock(state->pending_mutex);
        state->pending.push_back(std::move(write));
        if (state->drain_posted) return;
        state->drain_posted = true;
    }
    std::lock_guard lock(state->mutex);
    if (state->worker == nullptr) return;
    state->worker->post([state](Storage& storage) { write_pending(state, storage); });
}

// A call's change is written with the webhook events it brings; an event that changes no call record
// (`updated`, whose links the API writes itself, or any other kind) only when it brings webhook events.
void post_event(const SharedState& state, const calls::Event& event) {
    const auto* call_event = std::get_if<calls::CallEvent>(&event);
    const bool writes_call = call_event != nullptr && call_event->kind != calls::CallEventKind::updated;
    {
        std::lock_guard lock(state->outbox_mutex);
        if (!writes_call && !state->outbox) return;
    }
    post_pending(state, PendingWrite{{}, event, writes_call, calls::now_ms().time_since_epoch().count()});
}

}  // namespace

CallLogWriter::CallLogWriter(calls::EventBus& bus, StoreWorker& worker, CallLogWriterOptions options)
    : state_(std::make_shared<CallLogWriterState>()) {
    state_->worker = &worker;
    state_->options = std::move(options);
    state_->health.backend = state_->options.backend;
    if (!state_->options.spool_path.empty()) {
        state_->health.spool_path = state_->options.spool_path.string();
        auto spool = CallLogSpool::open(state_->options.spool_path, state_->options.spool_max_bytes);
        if (spool) {
            state_->spool = std::move(spool).value();
        } else {
            spdlog::error("call log: no spool, call records are lost while the {} is away: {}",
                          state_->health.backend, spool.error().message);
        }
    }
    if (state_->spool && !state_->spool->empty()) {
        spdlog::warn("call log: {} call record(s) from an earlier run queued in {}: writing them first",
                     state_->spool->size(), state_->health.spool_path);
        update_queued(*state_);
        worker.post([state = state_](Storage& storage) { replay(state, storage); });
    }
    schedule_probe(state_);
    bus.subscribe([state = state_](const calls::Event& event) { post_event(state, event); });
}

void CallLogWriter::record(const calls::Call& snapshot) { post_pending(state_, PendingWrite{snapshot, std::nullopt, false, 0}); }

CallLogWriter::~CallLogWriter() {
    std::lock_guard lock(state_->mutex);
    state_->worker = nullptr;
}

std::uint64_t CallLogWriter::writes() const {
    return state_->writes.load(std::memory_order_relaxed);
}

std::uint64_t CallLogWriter::failures() const {
    return state_->failures.load(std::memory_order_relaxed);
}

std::uint64_t CallLogWriter::spooled() const {
    return state_->spooled.load(std::memory_order_relaxed);
}

void CallLogWriter::write_outbox_with(Outbox outbox) {
    std::lock_guard lock(state_->outbox_mutex);
    state_->outbox = std::move(outbox);
}

void CallLogWriter::write_events(std::vector<OutboxEvent> events) {
    if (events.empty()) return;
    post_pending(state_, PendingWrite{LogRecord{std::nullopt, std::move(events)}, std::nullopt, false, 0});
}

void CallLogWriter::observe_writes(std::function<void(double seconds)> observer) {
    std::lock_guard lock(state_->observer_mutex);
    state_->write_observer = std::move(observer);
}

DatabaseHealth CallLogWriter::health() const {
    std::lock_guard lock(state_->health_mutex);
    return state_->health;
}

}  // namespace ff::store
