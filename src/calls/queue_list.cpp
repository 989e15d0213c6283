#include "calls/queue_list.hpp"

#include <algorithm>

namespace ff::calls {

std::vector<QueueConfig> QueueList::all() const {
    std::lock_guard lock(mutex_);
    return queues_;
}

std::optional<QueueConfig> QueueList::find(const std::string& extension) const {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(queues_.begin(), queues_.end(),
                                    [&](const QueueConfig& queue) { return queue.extension == extension; });
    if (found == queues_.end()) return std::nullopt;
    return *found;
}

void QueueList::replace(std::vector<QueueConfig> queues) {
    std::vector<Listener> listeners;
    {
        std::lock_guard lock(mutex_);
        queues_ = queues;
        listeners = listeners_;
    }
    for (const auto& listener : listeners) listener(queues);
}

void QueueList::on_change(Listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
}

void QueueList::set_waiting(const std::string& queue, std::vector<QueueCaller> callers) {
    std::lock_guard lock(mutex_);
    if (callers.empty()) waiting_.erase(queue);
    else waiting_[queue] = std::move(callers);
}

std::vector<QueueCaller> QueueList::waiting(const std::string& queue) const {
    std::lock_guard lock(mutex_);
    const auto found = waiting_.find(queue);
    return found == waiting_.end() ? std::vector<QueueCaller>{} : found->second;
}

}  // namespace ff::calls
