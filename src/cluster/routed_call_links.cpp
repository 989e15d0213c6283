// Known from Redis even while it is away: a link to another instance's call is then refused as unreachable,
// never written to this instance's log as if the call were over.
#include "cluster/routed_call_links.hpp"

namespace ff::cluster {

std::optional<calls::CallLinkRouter::Elsewhere> RoutedCallLinks::live_elsewhere(const std::string& call_id) const {
    if (registry_.find(call_id)) return std::nullopt;
    auto owned = node_.remote().find(call_id);
    if (!owned) return std::nullopt;
    return Elsewhere{std::move(owned->owner), std::move(owned->call)};
}

void RoutedCallLinks::forward(const Elsewhere& where, calls::CallLink link, Completion done) {
    ControlRequest request;
    request.action = ControlRequest::Action::link;
    request.call_id = where.call.id;
    request.link = std::move(link);
    node_.forward(where.owner, std::move(request), std::move(done));
}

}  // namespace ff::cluster
