#include "sip/queues/queue_router.hpp"

namespace ff::sip {

QueueRouter::QueueRouter(Hooks hooks)
    : hooks_(std::move(hooks)),
      dispatcher_([this](const std::string& extension) { return hooks_.available && hooks_.available(extension); }) {}

void QueueRouter::configure(std::vector<calls::QueueConfig> queues) {
    dispatcher_.configure(std::move(queues));
    reconsider();
}

std::optional<calls::QueueConfig> QueueRouter::queue_on(const std::string& extension) const {
    const auto* queue = dispatcher_.queue(extension);
    if (queue == nullptr) return std::nullopt;
    return *queue;
}

void QueueRouter::join(const std::string& queue, const std::string& call_id) {
    dispatcher_.join(queue, call_id, calls::now_ms());
    reconsider();
}

void QueueRouter::offer_failed(const std::string& call_id) {
    dispatcher_.offer_failed(call_id);
    reconsider();
}

void QueueRouter::answered(const std::string& call_id, const std::string& extension) {
    dispatcher_.answered(call_id, extension, calls::now_ms());
    reconsider();  // the other members rung for this caller are free again
}

void QueueRouter::leave(const std::string& call_id) {
    if (!dispatcher_.waiting(call_id)) return;
    dispatcher_.leave(call_id);
    reconsider();
}

void QueueRouter::member_finished(const std::string& extension) {
    dispatcher_.member_finished(extension, calls::now_ms());
}

void QueueRouter::reconsider() {
    for (const auto& offer : dispatcher_.dispatch()) {
        if (hooks_.offer) hooks_.offer(offer);
    }
}

void QueueRouter::tick() {
    for (const auto& late : dispatcher_.overdue(calls::now_ms())) {
        const auto* queue = dispatcher_.queue(late.queue);
        const calls::QueueConfig config = queue ? *queue : calls::QueueConfig{};
        dispatcher_.leave(late.call_id);
        if (hooks_.overdue) hooks_.overdue(late.call_id, config);
    }
    reconsider();
}

}  // namespace ff::sip
