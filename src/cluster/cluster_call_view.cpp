// A call this instance owns is read from its registry, never from Redis: the registry is always newer.
#include "cluster/cluster_call_view.hpp"

#include <algorithm>
#include <set>

namespace ff::cluster {

std::optional<calls::Call> ClusterCallView::find(const std::string& call_id) const {
    if (auto call = local_.find(call_id)) return call;
    if (auto owned = remote_.find(call_id)) return std::move(owned->call);
    return std::nullopt;
}

std::vector<calls::Call> ClusterCallView::active() const {
    auto calls = local_.active();
    std::set<std::string> local_ids;
    for (const auto& call : calls) local_ids.insert(call.id);
    for (auto& call : remote_.calls())
        if (!local_ids.contains(call.id)) calls.push_back(std::move(call));
    std::stable_sort(calls.begin(), calls.end(),
                     [](const calls::Call& a, const calls::Call& b) { return a.start_time < b.start_time; });
    return calls;
}

std::size_t ClusterCallView::size() const { return active().size(); }

// Both counters only grow, so their sum grows with any change of either.
std::uint64_t ClusterCallView::version() const { return local_.version() + remote_.version(); }

}  // namespace ff::cluster
