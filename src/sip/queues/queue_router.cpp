#include "sip/queues/queue_router.hpp"

namespace ff::sip {

QueueRouter::QueueRouter(Hooks hooks)
    : hooks_(std::move(hooks)),
      dispatcher_([this](const std::string& extension) { return hooks_.available && hooks_.available(extension); }) {}

void QueueRouter::configure(std::vector<calls::QueueConfig> queues) {
    for (const auto& queue : queues) touch(queue.extension);
    dispatcher_.configure(std::move(queues));
    reconsider();
}

std::optional<calls::QueueConfig> QueueRouter::queue_on(const std::string& extension) const {
    const auto* queue = dispatcher_.queue(extension);
    if (queue == nullptr) return std::nullopt;
    return *queue;
}

void QueueRouter::join(const std::string& queue, const std::string& call_id, const std::string& number) {
    dispatcher_.join(queue, call_id, calls::now_ms(), number);
    touch(queue);
    reconsider();
}

void QueueRouter::offer_failed(const std::string& call_id) {
    touch_caller(call_id);
    dispatcher_.offer_failed(call_id);
    reconsider();
}

void QueueRouter::answered(const std::string& call_id, const std::string& extension) {
    touch_caller(call_id);
    dispatcher_.answered(call_id, extension, calls::now_ms());
    reconsider();  // the other members rung for this caller are free again
}

void QueueRouter::leave(const std::string& call_id) {
    if (!dispatcher_.waiting(call_id)) return;
    touch_caller(call_id);
    dispatcher_.leave(call_id);
    reconsider();
}

void QueueRouter::member_finished(const std::string& extension) {
    dispatcher_.member_finished(extension, calls::now_ms());
}

void QueueRouter::reconsider() {
    for (const auto& offer : dispatcher_.dispatch()) {
        touch_caller(offer.call_id);
        if (hooks_.offer) hooks_.offer(offer);
    }
    publish();
}

void QueueRouter::tick() {
    for (const auto& late : dispatcher_.overdue(calls::now_ms())) {
        const auto* queue = dispatcher_.queue(late.queue);
        const calls::QueueConfig config = queue ? *queue : calls::QueueConfig{};
        touch(late.queue);
        dispatcher_.leave(late.call_id);
        if (hooks_.overdue) hooks_.overdue(late.call_id, config);
    }
    reconsider();
}

void QueueRouter::touch(const std::string& queue) {
    if (!queue.empty()) touched_.insert(queue);
}

void QueueRouter::publish() {
    auto touched = std::move(touched_);
    touched_.clear();
    if (!hooks_.changed) return;
    for (const auto& queue : touched) hooks_.changed(queue, dispatcher_.callers(queue));
}

}  // namespace ff::sip
