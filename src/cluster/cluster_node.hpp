// This instance as a member of a call centre's cluster: it publishes its calls and lines to Redis, hands the
// others' events to its clients, runs their control requests, and ends the calls of instances that died.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "calls/event_bus.hpp"
#include "cluster/cluster_messages.hpp"
#include "cluster/redis_link.hpp"
#include "cluster/remote_state.hpp"
#include "config/redis_url.hpp"

namespace ff::cluster {

struct ClusterOptions {
    config::RedisEndpoint redis;
    std::string instance_id;
    std::chrono::milliseconds heartbeat_ttl{3000};   // an instance silent this long is dead
    std::chrono::milliseconds tick{1000};             // heartbeat refresh and the search for dead instances
    std::chrono::milliseconds control_timeout{5000};  // how long a forwarded call button waits for its owner
};

struct ClusterHooks {
    // Hands another instance's event to this instance's clients (the Socket.IO stream). Any thread.
    std::function<void(const calls::Event&)> deliver;
    // Writes the end of a dead instance's call to the call log. Any thread.
    std::function<void(const calls::Call&)> record_ended;
    // Another instance saved PBX settings or users: read them again from the shared database. Any thread.
    std::function<void()> settings_saved;
    // An operator's choice (available, paused) made at another instance, or kept in Redis from before this
    // instance joined. Any thread.
    std::function<void(const OperatorChoice& choice)> operator_chosen;
    // Another instance linked a customer, order or note to a call of this one (its caller was allowed to):
    // write it to this instance's call log and to the live call, and complete with the call. Any thread.
    std::function<void(const std::string& call_id, calls::CallLink link, calls::CallControl::Completion done)>
        apply_link;
    // Another instance received a request for a recording this one keeps: its bytes for that Range header.
    // On the Redis thread: a read of a file of some hundred KiB.
    std::function<calls::Result<calls::RecordingBytes>(const std::string& call_id, const std::string& range)>
        serve_recording;
};

class ClusterNode {
  public:
    // Publishes this instance's call events from now on; messages are handled once started.
    ClusterNode(ClusterOptions options, calls::CallRegistry& registry, calls::EventBus& bus,
                boost::asio::io_context& io);
    ~ClusterNode();
    ClusterNode(const ClusterNode&) = delete;
    ClusterNode& operator=(const ClusterNode&) = delete;

    // `local` (this instance's engine) runs the requests other instances forward here and tells this
    // instance's lines; after stop() it is no longer used. Events published until the node is destroyed
    // still reach Redis.
    void start(calls::CallControl& local, ClusterHooks hooks);
    void stop();  // no more messages handled; pending forwarded requests fail

    const std::string& id() const { return options_.instance_id; }
    const RemoteState& remote() const { return remote_; }
    bool up() const { return up_.load(); }
    std::string down_reason() const;

    // Tells the other instances that this one saved PBX settings or users.
    void announce_settings_saved();
    // Tells the other instances (and those that start later) an operator's choice made here.
    void announce_operator_choice(const OperatorChoice& choice);

    // Sends a call button or a link to the instance that owns the call; `done` gets that instance's answer, or
    // an error when Redis is away (unreachable) or the owner does not answer within control_timeout (timeout).
    void forward(const std::string& owner, ControlRequest request, calls::CallControl::Completion done);
    // Asks `owner` for the recording it keeps of `call_id` (Range header `range`), with the same errors.
    void fetch_recording(const std::string& owner, const std::string& call_id, const std::string& range,
                         calls::RecordingRouter::Completion done);

    // For an inbound call to `extension` whose phone is not registered here: true when another live
    // instance will take it (its phone is there, or it has the line and the smaller id), so this one
    // answers 480 and creates no call. Called on the SIP thread; reads cached state only.
    bool leaves_inbound_to_others(const std::string& extension) const;

  private:
    void on_local_event(const calls::Event& event);
    void on_message(const std::string& channel, const std::string& payload);
    void on_event_message(const std::string& payload);
    void on_control_message(const std::string& payload);
    void on_reply_message(const std::string& payload);
    void publish_own_state(RedisClient& redis);
    void load_others_state(RedisClient& redis);
    bool heartbeat(RedisClient& redis);  // false when the heartbeat had lapsed: others took us for dead
    void end_calls_of_dead_instances(RedisClient& redis);
    void end_calls_of(RedisClient& redis, const std::string& owner, const std::vector<calls::Call>& calls);
    void send(const std::string& owner, ControlRequest request, std::function<void(ControlReply)> done);
    void complete(ControlReply reply);
    std::optional<std::string> own_lines_json() const;  // nullopt once stopped
    ClusterHooks running_hooks() const;                  // empty once stopped: the stream may be gone

    ClusterOptions options_;
    std::string own_prefix_ = origin_prefix(options_.instance_id);  // what our own event messages begin with
    calls::CallRegistry& registry_;
    boost::asio::io_context& io_;
    ClusterHooks hooks_;
    RemoteState remote_;
    calls::CallControl* local_ = nullptr;
    std::unique_ptr<RedisLink> link_;
    std::atomic<bool> up_{false};  // follows the link's reports, after the remote state was marked for them

    mutable std::mutex mutex_;
    bool running_ = false;
    std::string down_reason_ = "not connected yet";
    struct Pending;
    std::map<std::string, std::shared_ptr<Pending>> pending_;  // forwarded requests by request id
    // The bus has no unsubscribe: its handler reaches the node through this, emptied by the destructor.
    struct BusGuard {
        std::mutex mutex;
        ClusterNode* node = nullptr;
    };
    std::shared_ptr<BusGuard> bus_guard_ = std::make_shared<BusGuard>();
};

// "<hostname>-<6 hex>": unique enough for a call centre's handful of instances, readable in logs.
std::string generated_instance_id();

}  // namespace ff::cluster
