// Keeps the call log in step with the call model: every state change of a call is written by the store
// worker.
#pragma once

#include <cstdint>
#include <memory>

#include "calls/event_bus.hpp"
#include "store/store_worker.hpp"

namespace ff::store {

// Subscribes to the bus and posts record_call(snapshot) for every call event but `updated` (the API
// writes customer, order and note links itself). Publishing threads (SIP) only queue a job.
// The bus has no unsubscribe, so the subscription outlives the writer harmlessly: once the writer is
// destroyed, events are ignored. The worker must outlive the writer.
class CallLogWriter {
  public:
    CallLogWriter(calls::EventBus& bus, StoreWorker& worker);
    ~CallLogWriter();

    CallLogWriter(const CallLogWriter&) = delete;
    CallLogWriter& operator=(const CallLogWriter&) = delete;

    std::uint64_t writes() const;    // snapshots written
    std::uint64_t failures() const;  // snapshots the database refused

  private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace ff::store
