// The call control the API and the stream use when several instances share Redis: a button for a call that
// another instance owns goes to that instance; everything else is this instance's engine.
#pragma once

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "cluster/cluster_node.hpp"

namespace ff::cluster {

class RoutedCallControl final : public calls::CallControl {
  public:
    RoutedCallControl(calls::CallControl& local, const calls::CallRegistry& registry, ClusterNode& node)
        : local_(local), registry_(registry), node_(node) {}

    // Click-to-call is carried out where the operator's phone is registered.
    void dial(calls::DialRequest request, Completion done) override;
    void answer(std::string call_id, Completion done) override;
    void hangup(std::string call_id, Completion done) override;
    void hold(std::string call_id, Completion done) override;
    void unhold(std::string call_id, Completion done) override;
    void transfer(std::string call_id, std::string target, Completion done) override;
    void consult(std::string call_id, std::string target, Completion done) override;
    void settle_transfer(std::string call_id, bool complete, Completion done) override;
    void media(std::string call_id, Completion done) override;
    void record(std::string call_id, bool on, Completion done) override;

    // This instance's lines, each phone shown as registered when it is registered at any instance.
    calls::TelephonyStatus status() const override;
    void check_connection(calls::ConnectionCheckRequest request, CheckCompletion done) override {
        local_.check_connection(std::move(request), std::move(done));
    }

  private:
    // The instance that owns the call, when it is not this one.
    std::optional<std::string> remote_owner(const std::string& call_id) const;
    void forward(const std::string& owner, ControlRequest::Action action, std::string call_id, std::string target,
                 Completion done);

    calls::CallControl& local_;
    const calls::CallRegistry& registry_;
    ClusterNode& node_;
};

}  // namespace ff::cluster
