// The choice of an rtpengine per call.
#include "media/instance_selector.hpp"

namespace ff::media {

InstanceSelector::InstanceSelector(std::size_t instances) : alive_(instances, true), calls_(instances, 0) {}

std::optional<std::size_t> InstanceSelector::for_call(const std::string& call_id) {
    if (const auto known = pinned(call_id)) return known;
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < alive_.size(); ++i) {
        if (alive_[i] && (!best || calls_[i] < calls_[*best])) best = i;
    }
    if (best) {
        pins_.emplace(call_id, *best);
        ++calls_[*best];
    }
    return best;
}

std::optional<std::size_t> InstanceSelector::pinned(const std::string& call_id) const {
    const auto found = pins_.find(call_id);
    if (found == pins_.end()) return std::nullopt;
    return found->second;
}

void InstanceSelector::forget(const std::string& call_id) {
    const auto found = pins_.find(call_id);
    if (found == pins_.end()) return;
    --calls_[found->second];
    pins_.erase(found);
}

void InstanceSelector::mark_dead(std::size_t instance) {
    if (instance < alive_.size()) alive_[instance] = false;
}

void InstanceSelector::mark_alive(std::size_t instance) {
    if (instance < alive_.size()) alive_[instance] = true;
}

bool InstanceSelector::alive(std::size_t instance) const { return instance < alive_.size() && alive_[instance]; }

std::size_t InstanceSelector::calls_on(std::size_t instance) const {
    return instance < calls_.size() ? calls_[instance] : 0;
}

}  // namespace ff::media
