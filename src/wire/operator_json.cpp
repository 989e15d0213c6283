#include "wire/operator_json.hpp"

#include "wire/call_json.hpp"

namespace ff::wire {

nlohmann::json to_json(const calls::OperatorStatus& status) {
    return nlohmann::json{
        {"extension", status.extension},
        {"state", calls::to_string(status.state)},
        {"reason", status.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(status.reason)},
        {"since", status.since == calls::TimePoint{} ? nlohmann::json(nullptr) : nlohmann::json(format_time(status.since))},
    };
}

}  // namespace ff::wire
