// Call events to call-log writes, off the publisher's thread; failures are logged by call id only.
#include "store/call_log_writer.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <variant>

namespace ff::store {

// Shared with the bus subscription and with queued jobs, so either may outlive the writer.
struct CallLogWriter::State {
    std::mutex mutex;
    StoreWorker* worker = nullptr;  // null once the writer is gone
    std::atomic<std::uint64_t> writes{0};
    std::atomic<std::uint64_t> failures{0};
};

CallLogWriter::CallLogWriter(calls::EventBus& bus, StoreWorker& worker) : state_(std::make_shared<State>()) {
    state_->worker = &worker;
    bus.subscribe([state = state_](const calls::Event& event) {
        const auto* call_event = std::get_if<calls::CallEvent>(&event);
        if (call_event == nullptr || call_event->kind == calls::CallEventKind::updated) return;
        std::lock_guard lock(state->mutex);
        if (state->worker == nullptr) return;
        state->worker->post([state, call = call_event->call](Storage& storage) {
            const auto status = storage.record_call(call);
            if (status) {
                state->writes.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            state->failures.fetch_add(1, std::memory_order_relaxed);
            // The customer's name and number stay out of the log: the call id finds them.
            spdlog::warn("call log: could not record call {}: {}", call.id, status.error().message);
        });
    });
}

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

}  // namespace ff::store
