#include "wire/queue_json.hpp"

#include "wire/call_json.hpp"

#include <algorithm>
#include <set>

namespace ff::wire {
namespace {

calls::Error refused(const std::string& message) {
    return calls::Error{calls::ErrorCode::invalid_argument, message};
}

bool is_digits(const std::string& text, std::size_t longest) {
    return !text.empty() && text.size() <= longest &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An integer field within [low, high], or `fallback` when absent.
calls::Result<int> bounded(const nlohmann::json& object, const char* field, int low, int high, int fallback) {
    if (!object.contains(field) || object[field].is_null()) return fallback;
    const auto& value = object[field];
    if (!value.is_number_integer() || value.get<long long>() < low || value.get<long long>() > high)
        return refused(std::string(field) + " must be a whole number from " + std::to_string(low) + " to " +
                       std::to_string(high));
    return static_cast<int>(value.get<long long>());
}

}  // namespace

nlohmann::json to_json(const calls::QueueConfig& queue) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : queue.members) members.push_back({{"extension", member.extension}, {"tier", member.tier}});
    return nlohmann::json{
        {"extension", queue.extension},
        {"name", queue.name},
        {"strategy", calls::to_string(queue.strategy)},
        {"members", std::move(members)},
        {"ringSeconds", queue.ring_time.count()},
        {"maxWaitSeconds", queue.max_wait.count()},
        {"overflowNumber", queue.overflow_number.empty() ? nlohmann::json(nullptr) : nlohmann::json(queue.overflow_number)},
    };
}

calls::Result<calls::QueueConfig> queue_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return refused("a queue must be a JSON object");
    calls::QueueConfig queue;
    if (!body.contains("extension") || !body["extension"].is_string() || !is_digits(body["extension"], 16))
        return refused("extension must be the queue's line: 1 to 16 digits");
    queue.extension = body["extension"];
    if (!body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty() ||
        body["name"].get<std::string>().size() > 64)
        return refused("name must be text of 1 to 64 bytes");
    queue.name = body["name"];
    const std::string strategy = body.contains("strategy") && body["strategy"].is_string() ? body["strategy"].get<std::string>() : "";
    const auto parsed = calls::parse_queue_strategy(strategy);
    if (!parsed) return refused("strategy must be ringall, round-robin, longest-idle or fewest-calls");
    queue.strategy = *parsed;

    if (!body.contains("members") || !body["members"].is_array() || body["members"].empty() || body["members"].size() > 100)
        return refused("members must be a list of 1 to 100 members");
    std::set<std::string> seen;
    for (const auto& entry : body["members"]) {
        if (!entry.is_object() || !entry.contains("extension") || !entry["extension"].is_string() ||
            !is_digits(entry["extension"], 16))
            return refused("each member must be {extension: 1 to 16 digits, tier}");
        const std::string extension = entry["extension"];
        if (!seen.insert(extension).second) return refused("member " + extension + " is listed twice");
        if (extension == queue.extension) return refused("the queue's own line " + extension + " cannot be its member");
        auto tier = bounded(entry, "tier", 1, 9, 1);
        if (!tier) return refused("member " + extension + ": " + tier.error().message);
        queue.members.push_back(calls::QueueMember{extension, tier.value()});
    }
    auto ring = bounded(body, "ringSeconds", 5, 120, 15);
    if (!ring) return ring.error();
    queue.ring_time = std::chrono::seconds(ring.value());
    auto wait = bounded(body, "maxWaitSeconds", 10, 3600, 300);
    if (!wait) return wait.error();
    queue.max_wait = std::chrono::seconds(wait.value());
    if (body.contains("overflowNumber") && !body["overflowNumber"].is_null()) {
        if (!body["overflowNumber"].is_string()) return refused("overflowNumber must be a phone number or null");
        queue.overflow_number = body["overflowNumber"];
        if (queue.overflow_number.empty() || queue.overflow_number.size() > 32)
            return refused("overflowNumber must be a phone number of 1 to 32 characters or null");
    }
    return queue;
}

nlohmann::json waiting_json(const std::vector<calls::QueueCaller>& callers) {
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& caller : callers) {
        listed.push_back({{"callId", caller.call_id},
                          {"caller", caller.number},
                          {"since", format_time(caller.since)},
                          {"position", caller.position},
                          {"ringing", caller.ringing}});
    }
    return listed;
}

}  // namespace ff::wire
