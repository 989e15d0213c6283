// Which queue members ring for which waiting caller. Pure and single-threaded: the SIP side reports callers
// joining, offers failing or answered and callers leaving, asks dispatch() what to ring now, and carries the
// offers out.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/queue.hpp"

namespace ff::calls {

// Ring these members' phones for this caller (all at once; the first to answer takes the call).
struct QueueOffer {
    std::string call_id;
    std::vector<std::string> extensions;

    bool operator==(const QueueOffer&) const = default;
};

class QueueDispatcher {
  public:
    // `available`: whether an operator may be offered a call now (their state is available).
    explicit QueueDispatcher(std::function<bool(const std::string& extension)> available);

    // The queues as configured; callers of a queue that went away stay until they leave.
    void configure(std::vector<QueueConfig> queues);
    const QueueConfig* queue(const std::string& extension) const;

    void join(const std::string& queue, const std::string& call_id, TimePoint now, std::string number = {});
    // The members rung for the caller did not answer in time or refused: they are tried again only after the
    // queue's other members.
    void offer_failed(const std::string& call_id);
    // A member took the call: it leaves the queue, the member's count follows, and the member is not offered
    // another caller until member_finished (their state may say "available" a moment longer).
    void answered(const std::string& call_id, const std::string& extension, TimePoint now);
    // The caller hung up, went to the overflow number or ended otherwise.
    void leave(const std::string& call_id);
    // A member's call (from any queue or none) ended: longest-idle counts from here.
    void member_finished(const std::string& extension, TimePoint now);

    // The offers to make now: the callers who wait longest first, each to the members free for them.
    std::vector<QueueOffer> dispatch();
    // Callers who waited their queue's max_wait (position 0).
    std::vector<QueueCaller> overdue(TimePoint now) const;

    std::vector<QueueCaller> callers(const std::string& queue) const;  // in order of waiting
    bool waiting(const std::string& call_id) const { return callers_.contains(call_id); }
    // Whether an offer rings for the caller now.
    bool offered(const std::string& call_id) const;
    // The queue a caller waits in; empty when they do not.
    std::string queue_of(const std::string& call_id) const;

  private:
    struct Caller {
        std::string queue;
        std::string number;
        TimePoint since{};
        std::uint64_t order = 0;                // joining order: ties in `since` keep it
        std::vector<std::string> ringing;
        std::set<std::string> tried;            // members who did not answer this caller
    };
    struct MemberRecord {
        TimePoint idle_since{};  // never had a call: the longest idle of all
        int answered = 0;
        bool engaged = false;    // took a queue's caller and has not finished the call yet
    };

    std::vector<std::string> choose(const QueueConfig& queue, Caller& caller, const std::set<std::string>& busy);

    std::function<bool(const std::string&)> available_;
    std::map<std::string, QueueConfig> queues_;
    std::map<std::string, Caller> callers_;            // by call id
    std::map<std::string, MemberRecord> members_;      // by extension, across queues
    std::map<std::string, std::string> last_offered_;  // round-robin: by queue, the member offered last
    std::uint64_t joined_ = 0;
};

}  // namespace ff::calls
