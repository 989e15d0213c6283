// One publish/subscribe bus for every event of the call model.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "calls/events.hpp"

namespace ff::calls {

// publish() calls every subscriber on the publisher's thread, in order. Subscribers must be quick:
// each one hands the event to its own thread (network, storage) rather than doing I/O here.
class EventBus {
public:
    using Handler = std::function<void(const Event&)>;

    void subscribe(Handler handler);
    void publish(const Event& event) const;

private:
    using Handlers = std::vector<Handler>;
    mutable std::mutex mutex_;
    std::shared_ptr<const Handlers> handlers_ = std::make_shared<Handlers>();
};

}  // namespace ff::calls
