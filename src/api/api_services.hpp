// Everything the REST routes use, handed over by the application's wiring.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/active_calls_cache.hpp"
#include "api/dependency_status.hpp"
#include "calls/operator_status.hpp"
#include "calls/queue_list.hpp"
#include "calls/queue_stats.hpp"
#include "config/address_allow_list.hpp"

namespace ff::calls {
class CallRegistry;
class CallView;
class CallControl;
class RecordingRouter;
class CallLinkRouter;
class EventBus;
class OperatorBoard;
}  // namespace ff::calls
namespace ff::store {
class StoreWorker;
}
namespace ff::metrics {
class ServiceMetrics;
}
namespace ff::webhooks {
class Webhooks;
}
namespace ff::auth {
class TokenRegistry;
}
namespace ff::directory {
class PhoneNormalizer;
}
namespace ff::config {
class LiveSettings;
}

namespace ff::api {

struct ApiServices {
    calls::CallRegistry& registry;  // this instance's calls, to change them
    const calls::CallView& calls;   // every active call to read: this instance's, or the cluster's
    calls::CallControl& control;
    store::StoreWorker& store;
    auth::TokenRegistry& tokens;
    directory::PhoneNormalizer& phones;
    config::LiveSettings& settings;
    calls::EventBus& bus;
    // Where answers are sent from once work finished on another thread (storage, SIP engine).
    boost::asio::io_context& io;
    std::string version = "dev";                                                          // shown by /health
    std::string instance_id{};  // shown by /health when several instances share Redis
    std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();  // for uptimeSeconds
    std::shared_ptr<ActiveCallsCache> active_calls = std::make_shared<ActiveCallsCache>();
    std::vector<DependencyProbe> dependencies{};  // shown by /health; one away makes the status "degraded"
    // With REDIS_URL: a link to a call that another instance has up is sent there. Null on a lone instance.
    calls::CallLinkRouter* links = nullptr;
    // The directory of the recordings' files, which GET /api/calls/:callId/recording serves, and whether calls
    // may be recorded on request (RECORDING=on-demand or all).
    std::string recording_dir{};
    bool recording_on_request = false;
    // With REDIS_URL: a recording another instance keeps is asked of that instance. Null on a lone instance.
    calls::RecordingRouter* recordings = nullptr;
    // The operators' states (GET /api/operators); null: the routes answer 503.
    calls::OperatorBoard* operators = nullptr;
    // GET /metrics (null: 503), and the scrapers that read it without a token (METRICS_ALLOW).
    metrics::ServiceMetrics* metrics = nullptr;
    config::AddressAllowList metrics_allow{};
    // With several instances: an operator's choice made here reaches the others (empty: alone).
    std::function<void(const std::string& extension, calls::OperatorState state, const std::string& reason)>
        share_operator_choice{};
    // Webhook subscriptions take effect and test events are sent through it (null: 503).
    webhooks::Webhooks* webhooks = nullptr;
    // The queues as configured: GET/PUT/DELETE /api/queues read and change them, the SIP engine routes by them.
    std::shared_ptr<calls::QueueList> queues = std::make_shared<calls::QueueList>();
    int callback_days = 7;  // CALLBACK_DAYS: how far back GET /api/callbacks looks
    // SMS after calls: the gateway's host ("" without SMS_GATEWAY_URL; never its URL, which may hold the key)
    // and SMS_MIN_INTERVAL_MINUTES, shown beside the texts.
    std::string sms_gateway{};
    int sms_min_interval_minutes = 60;
    calls::QueueStatsOptions queue_stats{};  // QUEUE_SHORT_ABANDON_SECONDS, QUEUE_SERVICE_LEVEL_SECONDS
};

}  // namespace ff::api
