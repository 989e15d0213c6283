// The parts that make this instance one of several sharing Redis (REDIS_URL): made only when it is set.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "api/dependency_status.hpp"
#include "app/operator_states.hpp"
#include "app/service.hpp"
#include "cluster/cluster_call_view.hpp"
#include "cluster/cluster_node.hpp"
#include "cluster/routed_call_control.hpp"
#include "cluster/routed_call_links.hpp"
#include "cluster/routed_recordings.hpp"

namespace ff::realtime {
class RealtimeServer;
}
namespace ff::store {
class CallLogWriter;
class StoreWorker;
}
namespace ff::config {
class LiveSettings;
}

namespace ff::app {

class ClusterMembership {
  public:
    ClusterMembership(cluster::ClusterOptions options, calls::CallRegistry& registry, calls::EventBus& bus,
                      boost::asio::io_context& io);
    ~ClusterMembership();
    ClusterMembership(const ClusterMembership&) = delete;
    ClusterMembership& operator=(const ClusterMembership&) = delete;

    // The engine exists: call buttons for other instances' calls are routed from now on.
    void attach(calls::CallControl& engine);
    // The stream exists: other instances' events reach its clients, dead instances' calls reach the log, PBX
    // settings saved on any instance are applied on every one, and links other instances forward to a call of
    // this one are written by `apply_link`.
    using ApplyLink = std::function<void(const std::string& call_id, calls::CallLink link,
                                         calls::CallControl::Completion done)>;
    // Recordings this instance keeps are served to the others by `serve_recording`.
    using ServeRecording = std::function<calls::Result<calls::RecordingBytes>(const std::string& call_id,
                                                                              const std::string& range)>;
    // The operators' states count every instance's calls and phones, and take the choices made at any instance.
    void start(realtime::RealtimeServer& stream, store::CallLogWriter& call_log, config::LiveSettings& settings,
               store::StoreWorker& worker, OperatorStates& operators, ApplyLink apply_link,
               ServeRecording serve_recording);

    cluster::ClusterNode& node() { return node_; }
    calls::CallControl& control() { return *control_; }
    const calls::CallView& calls() const { return view_; }
    calls::CallLinkRouter& links() { return links_; }
    calls::RecordingRouter& recordings() { return recordings_; }

  private:
    bool phone_here(const std::string& extension) const;

    calls::CallRegistry& registry_;
    cluster::ClusterNode node_;
    cluster::ClusterCallView view_;
    cluster::RoutedCallLinks links_;
    cluster::RoutedRecordings recordings_;
    calls::CallControl* engine_ = nullptr;
    std::unique_ptr<cluster::RoutedCallControl> control_;
    config::LiveSettings* settings_ = nullptr;  // watched for saved changes once started
    std::uint64_t settings_subscription_ = 0;
};

// Null without REDIS_URL. Otherwise the node publishes this instance's events from now on, and `telephony`
// learns which inbound calls to leave to the other instances.
std::unique_ptr<ClusterMembership> join_cluster(const config::ServiceConfig& config, calls::CallRegistry& registry,
                                                calls::EventBus& bus, boost::asio::io_context& io,
                                                sip::TelephonyContext& telephony);

// What /health shows of Redis.
api::DependencyStatus redis_status(const cluster::ClusterNode& node);

}  // namespace ff::app
