// A recording that another instance keeps is asked of that instance through Redis.
#pragma once

#include "calls/recording_router.hpp"
#include "cluster/cluster_node.hpp"

namespace ff::cluster {

class RoutedRecordings final : public calls::RecordingRouter {
  public:
    explicit RoutedRecordings(ClusterNode& node) : node_(node) {}

    void fetch(const std::string& instance, const std::string& call_id, const std::string& range,
               Completion done) override {
        node_.fetch_recording(instance, call_id, range, std::move(done));
    }

  private:
    ClusterNode& node_;
};

}  // namespace ff::cluster
