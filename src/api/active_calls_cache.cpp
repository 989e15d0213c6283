// Serialising is done outside the lock; two threads may both build a body once, which is harmless.
#include "api/active_calls_cache.hpp"

#include "api/json_response.hpp"
#include "wire/call_json.hpp"

namespace ff::api {

std::shared_ptr<const std::string> ActiveCallsCache::body(const calls::CallView& registry,
                                                          const std::string& extension) {
    // The version is read before the calls: a body is never filed under a newer version than it shows.
    const Key key{registry.version(), calls::now_ms().time_since_epoch().count() / 1000};
    {
        std::lock_guard lock(mutex_);
        if (key == key_) {
            const auto found = bodies_.find(extension);
            if (found != bodies_.end()) return found->second;
        }
    }
    nlohmann::json calls = nlohmann::json::array();
    for (const auto& call : registry.active()) {
        if (extension.empty() || call.extension == extension) calls.push_back(wire::to_json(call));
    }
    auto built = std::make_shared<const std::string>(dump_json(nlohmann::json{{"calls", std::move(calls)}}));
    std::lock_guard lock(mutex_);
    if (!(key == key_)) {
        if (key.version < key_.version || (key.version == key_.version && key.second < key_.second))
            return built;
        key_ = key;
        bodies_.clear();
    }
    bodies_[extension] = built;
    return built;
}

}  // namespace ff::api
