// The service's queues on the SIP thread: the bridges of callers who dialled a queue's line join, the
// dispatcher (calls/queue_dispatcher.hpp) decides who rings for whom, and its offers go back to the bridges.
// Everything that can free a member or change the queues asks it again.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calls/queue_dispatcher.hpp"

namespace ff::sip {

class QueueRouter {
  public:
    struct Hooks {
        // Whether the operator may be offered a call now (their state is available).
        std::function<bool(const std::string& extension)> available;
        // Ring these members for this caller (the caller's bridge).
        std::function<void(const calls::QueueOffer& offer)> offer;
        // The caller waited the queue's max_wait: let them go (to its overflow number, if any).
        std::function<void(const std::string& call_id, const calls::QueueConfig& queue)> overdue;
        // Who waits in the queue now, after any change (the boards).
        std::function<void(const std::string& queue, std::vector<calls::QueueCaller> callers)> changed;
    };

    explicit QueueRouter(Hooks hooks);

    void configure(std::vector<calls::QueueConfig> queues);
    // The queue whose line is `extension`, if any.
    std::optional<calls::QueueConfig> queue_on(const std::string& extension) const;

    void join(const std::string& queue, const std::string& call_id, const std::string& number);
    void offer_failed(const std::string& call_id);
    void answered(const std::string& call_id, const std::string& extension);
    void leave(const std::string& call_id);
    void member_finished(const std::string& extension);
    // Offers whatever can be offered now (a member may have become free).
    void reconsider();
    // Lets go of the callers who waited too long (every second).
    void tick();

    std::vector<calls::QueueCaller> callers(const std::string& queue) const { return dispatcher_.callers(queue); }
    // Whether the caller is being offered to members now (an offer made, on its way to their bridge).
    bool offered(const std::string& call_id) const { return dispatcher_.offered(call_id); }

  private:
    void touch(const std::string& queue);
    void touch_caller(const std::string& call_id) { touch(dispatcher_.queue_of(call_id)); }
    void publish();  // the queues touched since the last time

    Hooks hooks_;
    calls::QueueDispatcher dispatcher_;
    std::set<std::string> touched_;
};

}  // namespace ff::sip
