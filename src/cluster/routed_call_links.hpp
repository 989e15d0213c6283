// Links (customer, order, note) to a call that another instance has up go to that instance, as call buttons do:
// it writes them to its call log and its live call, and announces the change once for the whole cluster.
#pragma once

#include "calls/call_link.hpp"
#include "calls/call_registry.hpp"
#include "cluster/cluster_node.hpp"

namespace ff::cluster {

class RoutedCallLinks final : public calls::CallLinkRouter {
  public:
    RoutedCallLinks(const calls::CallRegistry& registry, ClusterNode& node) : registry_(registry), node_(node) {}

    std::optional<Elsewhere> live_elsewhere(const std::string& call_id) const override;
    void forward(const Elsewhere& where, calls::CallLink link, Completion done) override;

  private:
    const calls::CallRegistry& registry_;
    ClusterNode& node_;
};

}  // namespace ff::cluster
