#include "calls/queue.hpp"

namespace ff::calls {

std::string_view to_string(QueueStrategy strategy) {
    switch (strategy) {
        case QueueStrategy::ringall: return "ringall";
        case QueueStrategy::round_robin: return "round-robin";
        case QueueStrategy::longest_idle: return "longest-idle";
        case QueueStrategy::fewest_calls: return "fewest-calls";
    }
    return "ringall";
}

std::optional<QueueStrategy> parse_queue_strategy(std::string_view text) {
    for (const auto strategy : {QueueStrategy::ringall, QueueStrategy::round_robin, QueueStrategy::longest_idle,
                                QueueStrategy::fewest_calls}) {
        if (text == to_string(strategy)) return strategy;
    }
    return std::nullopt;
}

}  // namespace ff::calls
