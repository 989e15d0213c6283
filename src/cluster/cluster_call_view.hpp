// The active calls of every instance: this one's registry and what the others published in Redis.
#pragma once

#include "calls/call_registry.hpp"
#include "calls/call_view.hpp"
#include "cluster/remote_state.hpp"

namespace ff::cluster {

class ClusterCallView final : public calls::CallView {
  public:
    ClusterCallView(const calls::CallRegistry& local, const RemoteState& remote) : local_(local), remote_(remote) {}

    std::optional<calls::Call> find(const std::string& call_id) const override;
    std::vector<calls::Call> active() const override;
    std::size_t size() const override;
    std::uint64_t version() const override;

  private:
    const calls::CallRegistry& local_;
    const RemoteState& remote_;
};

}  // namespace ff::cluster
