// Tells every console when a customer enters the callback list or leaves it. On each call that ended
// unanswered, and each call answered, the list is read again for that one number (after the call's own write:
// the store worker runs reads after the writes posted before them) and the entry that call made or ended is
// published on the bus as callback:missed or callback:resolved.
#pragma once

#include <chrono>

#include "calls/event_bus.hpp"
#include "store/store_worker.hpp"

namespace ff::app {

class CallbackWatch {
  public:
    // Subscribes to `bus` at once, after the call log's writer (so its reads follow the writes).
    CallbackWatch(calls::EventBus& bus, store::StoreWorker& store, std::chrono::hours window);

  private:
    void look_up(const calls::Call& call, calls::CallbackEvent::Kind kind);

    calls::EventBus& bus_;
    store::StoreWorker& store_;
    std::chrono::hours window_;
};

}  // namespace ff::app
