// Copy-on-write list of handlers: publishing never holds the lock while handlers run.
#include "calls/event_bus.hpp"

namespace ff::calls {

void EventBus::subscribe(Handler handler) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<Handlers>(*handlers_);
    next->push_back(std::move(handler));
    handlers_ = std::move(next);
}

void EventBus::publish(const Event& event) const {
    std::shared_ptr<const Handlers> current;
    {
        std::lock_guard lock(mutex_);
        current = handlers_;
    }
    for (const auto& handler : *current) handler(event);
}

}  // namespace ff::calls
