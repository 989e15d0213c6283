// The URL was checked when the configuration was loaded; it is parsed again here for its parts.
#include "app/cluster_membership.hpp"

#include <spdlog/spdlog.h>

#include "config/service_config.hpp"
#include "realtime/realtime_server.hpp"
#include "config/live_settings.hpp"
#include "store/call_log_writer.hpp"
#include "store/store_worker.hpp"

namespace ff::app {

ClusterMembership::ClusterMembership(cluster::ClusterOptions options, calls::CallRegistry& registry,
                                     calls::EventBus& bus, boost::asio::io_context& io)
    : registry_(registry),
      node_(std::move(options), registry, bus, io),
      view_(registry, node_.remote()),
      links_(registry, node_),
      recordings_(node_) {}

ClusterMembership::~ClusterMembership() {
    if (settings_ != nullptr) settings_->unsubscribe(settings_subscription_);
}

void ClusterMembership::attach(calls::CallControl& engine) {
    engine_ = &engine;
    control_ = std::make_unique<cluster::RoutedCallControl>(engine, registry_, node_);
}

void ClusterMembership::start(realtime::RealtimeServer& stream, store::CallLogWriter& call_log,
                              config::LiveSettings& settings, store::StoreWorker& worker, OperatorStates& operators,
                              ApplyLink apply_link, ServeRecording serve_recording) {
    cluster::ClusterHooks hooks;
    hooks.deliver = [this, &stream, &operators](const calls::Event& event) {
        stream.publish(event);
        // Another instance's line without its phone there: the phone may be here.
        const auto* telephony = std::get_if<calls::TelephonyEvent>(&event);
        if (telephony != nullptr && telephony->kind == calls::TelephonyEvent::Kind::line_changed &&
            !telephony->line.device_registered && phone_here(telephony->line.extension)) {
            calls::TelephonyEvent seen = *telephony;
            seen.line.device_registered = true;
            return operators.feed(seen);
        }
        operators.feed(event);
    };
    hooks.operator_chosen = [&board = operators.board()](const cluster::OperatorChoice& choice) {
        if (auto chosen = board.choose(choice.extension, choice.state, choice.reason, calls::now_ms()); !chosen)
            spdlog::warn("cluster: operator {}'s choice made at another instance not taken: {}", choice.extension,
                         chosen.error().message);
    };
    operators.join({[&node = node_](const std::string& extension) {
                        return node.remote().instance_with_phone(extension).has_value();
                    },
                    [this](const std::string& extension) {
                        return phone_here(extension) || !node_.leaves_inbound_to_others(extension);
                    }});
    hooks.record_ended = [&call_log](const calls::Call& call) { call_log.record(call); };
    // Read on the storage thread, where the saving instance wrote them; equal values notify nobody, so the
    // announcement this change makes here ends the exchange at the instance that saved.
    hooks.settings_saved = [&settings, &worker] {
        worker.post([&settings](store::Storage& storage) {
            // A read that failed (logged by the storage) leaves the settings as they are until the next save.
            if (auto pbx = storage.load_pbx_settings(); pbx && pbx.value()) settings.replace_pbx(*pbx.value());
            if (auto users = storage.load_sip_users(); users && users.value())
                settings.replace_users(*users.value());
        });
    };
    hooks.apply_link = std::move(apply_link);
    hooks.serve_recording = std::move(serve_recording);
    settings_ = &settings;
    settings_subscription_ = settings.on_change([&node = node_] { node.announce_settings_saved(); });
    node_.start(*engine_, std::move(hooks));
}

bool ClusterMembership::phone_here(const std::string& extension) const {
    if (engine_ == nullptr) return false;
    for (const auto& line : engine_->status().lines)
        if (line.extension == extension) return line.device_registered;
    return false;
}

std::unique_ptr<ClusterMembership> join_cluster(const config::ServiceConfig& config, calls::CallRegistry& registry,
                                                calls::EventBus& bus, boost::asio::io_context& io,
                                                sip::TelephonyContext& telephony) {
    if (config.redis_url.empty()) return nullptr;
    std::string error;
    const auto endpoint = config::parse_redis_url(config.redis_url, error);
    if (!endpoint) return nullptr;  // refused at start-up already
    cluster::ClusterOptions options;
    options.redis = *endpoint;
    options.instance_id = config.instance_id.empty() ? cluster::generated_instance_id() : config.instance_id;
    spdlog::info("cluster: this is instance {}, sharing calls through Redis at {}:{}", options.instance_id,
                 endpoint->host, endpoint->port);
    auto membership = std::make_unique<ClusterMembership>(std::move(options), registry, bus, io);
    telephony.leave_inbound_to_others = [&node = membership->node()](const std::string& extension) {
        return node.leaves_inbound_to_others(extension);
    };
    return membership;
}

api::DependencyStatus redis_status(const cluster::ClusterNode& node) {
    if (node.up()) return {"redis", true, "connected; instance " + node.id()};
    return {"redis", false,
            node.down_reason() + "; this instance goes on with its own calls, other instances' calls and events "
                                 "are not seen until Redis is back"};
}

}  // namespace ff::app
