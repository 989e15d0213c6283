// A queue in the service: a PBX account the service registers like an operator's line (the number customers
// call), whose callers wait in the service and are offered to its members, operators' extensions, by a
// strategy. Pure data; calls/queue_dispatcher.hpp decides who rings.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calls/call.hpp"

namespace ff::calls {

// ringall: every available member of the best tier at once; round_robin: the next member after the one
// offered last; longest_idle: the member whose last call ended longest ago; fewest_calls: the member who
// took the fewest of this queue's calls.
enum class QueueStrategy { ringall, round_robin, longest_idle, fewest_calls };

std::string_view to_string(QueueStrategy strategy);  // "ringall", "round-robin", "longest-idle", "fewest-calls"
std::optional<QueueStrategy> parse_queue_strategy(std::string_view text);

struct QueueMember {
    std::string extension;
    int tier = 1;  // lower tiers are offered first; a higher tier only while no lower-tier member is free

    bool operator==(const QueueMember&) const = default;
};

struct QueueConfig {
    std::string extension;  // the line (PBX account) customers call
    std::string name;       // "Доставка"
    QueueStrategy strategy = QueueStrategy::ringall;
    std::vector<QueueMember> members;
    std::chrono::seconds ring_time{15};  // one offer rings this long before the next
    std::chrono::seconds max_wait{300};  // then the caller goes to overflow_number, or the call ends
    std::string overflow_number;         // empty: the call ends as abandoned after max_wait

    bool operator==(const QueueConfig&) const = default;
};

// One caller waiting in a queue, as the boards show it.
struct QueueCaller {
    std::string call_id;
    std::string queue;  // the queue's extension
    std::string number;  // who waits: the caller's number
    TimePoint since{};   // when the caller joined
    int position = 0;    // 1 for the caller who waits longest in that queue
    std::vector<std::string> ringing;  // the members rung for them now
};

}  // namespace ff::calls
