// The /health wording of the call log's database state.
#include "store/database_health.hpp"

#include "wire/call_json.hpp"

namespace ff::store {

std::string describe(const DatabaseHealth& health) {
    std::string text = health.backend;
    if (!health.reachable) {
        text += " unreachable";
        if (health.unreachable_since) text += " since " + wire::format_time(*health.unreachable_since);
        if (!health.last_error.empty()) text += ": " + health.last_error;
    } else if (health.queued > 0) {
        text += " reachable again, writing the queued call records";
    } else {
        text += " reachable";
    }
    if (health.queued > 0)
        text +=
            "; " + std::to_string(health.queued) + " call record(s) queued on disk in " + health.spool_path;
    if (health.lost > 0)
        text += "; " + std::to_string(health.lost) + " call record(s) lost (spool full or unusable)";
    return text;
}

}  // namespace ff::store
