#include "calls/queue_dispatcher.hpp"

#include <algorithm>

namespace ff::calls {

QueueDispatcher::QueueDispatcher(std::function<bool(const std::string&)> available)
    : available_(std::move(available)) {}

void QueueDispatcher::configure(std::vector<QueueConfig> queues) {
    queues_.clear();
    for (auto& queue : queues) {
        const std::string extension = queue.extension;
        queues_.emplace(extension, std::move(queue));
    }
}

const QueueConfig* QueueDispatcher::queue(const std::string& extension) const {
    const auto found = queues_.find(extension);
    return found == queues_.end() ? nullptr : &found->second;
}

void QueueDispatcher::join(const std::string& queue, const std::string& call_id, TimePoint now, std::string number) {
    Caller caller;
    caller.queue = queue;
    caller.number = std::move(number);
    caller.since = now;
    caller.order = joined_++;
    callers_[call_id] = std::move(caller);
}

void QueueDispatcher::offer_failed(const std::string& call_id) {
    const auto found = callers_.find(call_id);
    if (found == callers_.end()) return;
    Caller& caller = found->second;
    caller.tried.insert(caller.ringing.begin(), caller.ringing.end());
    caller.ringing.clear();
}

void QueueDispatcher::answered(const std::string& call_id, const std::string& extension, TimePoint now) {
    MemberRecord& member = members_[extension];
    ++member.answered;
    member.idle_since = now;
    member.engaged = true;
    callers_.erase(call_id);
}

void QueueDispatcher::leave(const std::string& call_id) {
    callers_.erase(call_id);
}

void QueueDispatcher::member_finished(const std::string& extension, TimePoint now) {
    MemberRecord& member = members_[extension];
    member.idle_since = now;
    member.engaged = false;
}

namespace {

template <class Callers>
std::vector<typename Callers::const_iterator> in_waiting_order(const Callers& callers) {
    std::vector<typename Callers::const_iterator> order;
    for (auto it = callers.begin(); it != callers.end(); ++it) order.push_back(it);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a->second.since != b->second.since ? a->second.since < b->second.since
                                                  : a->second.order < b->second.order;
    });
    return order;
}

}  // namespace

std::vector<QueueOffer> QueueDispatcher::dispatch() {
    std::set<std::string> busy;  // rung for someone already: one offer at a time per member
    for (const auto& [id, caller] : callers_) busy.insert(caller.ringing.begin(), caller.ringing.end());
    std::vector<QueueOffer> offers;
    for (const auto& entry : in_waiting_order(callers_)) {
        Caller& caller = callers_.at(entry->first);
        if (!caller.ringing.empty()) continue;
        const auto queue = queues_.find(caller.queue);
        if (queue == queues_.end()) continue;
        auto chosen = choose(queue->second, caller, busy);
        if (chosen.empty()) continue;
        caller.ringing = chosen;
        busy.insert(chosen.begin(), chosen.end());
        offers.push_back(QueueOffer{entry->first, std::move(chosen)});
    }
    return offers;
}

std::vector<std::string> QueueDispatcher::choose(const QueueConfig& queue, Caller& caller,
                                                 const std::set<std::string>& busy) {
    std::vector<QueueMember> free;
    for (const auto& member : queue.members) {
        if (!busy.contains(member.extension) && !members_[member.extension].engaged && available_(member.extension))
            free.push_back(member);
    }
    if (free.empty()) return {};
    // Members who did not answer this caller come again only once everyone else free has been tried.
    std::vector<QueueMember> untried;
    std::copy_if(free.begin(), free.end(), std::back_inserter(untried),
                 [&](const QueueMember& member) { return !caller.tried.contains(member.extension); });
    if (untried.empty()) {
        caller.tried.clear();
        untried = free;
    }
    const int tier = std::min_element(untried.begin(), untried.end(), [](const auto& a, const auto& b) {
                         return a.tier < b.tier;
                     })->tier;
    std::erase_if(untried, [tier](const QueueMember& member) { return member.tier != tier; });

    const auto record = [this](const QueueMember& member) { return members_[member.extension]; };
    const QueueMember* pick = &untried.front();
    switch (queue.strategy) {
        case QueueStrategy::ringall: {
            std::vector<std::string> all;
            for (const auto& member : untried) all.push_back(member.extension);
            return all;
        }
        case QueueStrategy::round_robin: {
            // The first free member after the one offered last, in the queue's order of members.
            const auto& members = queue.members;
            const auto last = std::find_if(members.begin(), members.end(), [&](const QueueMember& member) {
                return member.extension == last_offered_[queue.extension];
            });
            const std::size_t start = last == members.end() ? 0 : static_cast<std::size_t>(last - members.begin()) + 1;
            for (std::size_t step = 0; step < members.size(); ++step) {
                const auto& candidate = members[(start + step) % members.size()];
                const auto found = std::find(untried.begin(), untried.end(), candidate);
                if (found != untried.end()) {
                    pick = &*found;
                    break;
                }
            }
            break;
        }
        case QueueStrategy::longest_idle:
            pick = &*std::min_element(untried.begin(), untried.end(), [&](const auto& a, const auto& b) {
                return record(a).idle_since < record(b).idle_since;
            });
            break;
        case QueueStrategy::fewest_calls:
            pick = &*std::min_element(untried.begin(), untried.end(), [&](const auto& a, const auto& b) {
                return record(a).answered < record(b).answered;
            });
            break;
    }
    last_offered_[queue.extension] = pick->extension;
    return {pick->extension};
}

std::vector<QueueCaller> QueueDispatcher::overdue(TimePoint now) const {
    std::vector<QueueCaller> late;
    for (const auto& [id, caller] : callers_) {
        const auto queue = queues_.find(caller.queue);
        if (queue != queues_.end() && now - caller.since >= queue->second.max_wait)
            late.push_back(QueueCaller{id, caller.queue, caller.number, caller.since, 0, caller.ringing});
    }
    return late;
}

bool QueueDispatcher::offered(const std::string& call_id) const {
    const auto found = callers_.find(call_id);
    return found != callers_.end() && !found->second.ringing.empty();
}

std::string QueueDispatcher::queue_of(const std::string& call_id) const {
    const auto found = callers_.find(call_id);
    return found == callers_.end() ? std::string() : found->second.queue;
}

std::vector<QueueCaller> QueueDispatcher::callers(const std::string& queue) const {
    std::vector<QueueCaller> listed;
    for (const auto& entry : in_waiting_order(callers_)) {
        if (entry->second.queue != queue) continue;
        listed.push_back(QueueCaller{entry->first, queue, entry->second.number, entry->second.since,
                                     static_cast<int>(listed.size()) + 1, entry->second.ringing});
    }
    return listed;
}

}  // namespace ff::calls
