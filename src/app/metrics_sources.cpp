#include "app/metrics_sources.hpp"

#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "calls/operator_board.hpp"
#include "realtime/realtime_server.hpp"
#include "store/call_log_writer.hpp"
#include "webhooks/webhooks.hpp"

namespace ff::app {

metrics::MetricsSources metrics_sources(const api::ApiServices& services, const realtime::RealtimeServer& realtime,
                                        const store::CallLogWriter& call_log) {
    metrics::MetricsSources sources;
    sources.active_calls = [&registry = services.registry] { return registry.size(); };
    sources.telephony = [&control = services.control] { return control.status(); };
    if (services.operators != nullptr)
        sources.operators = [&board = *services.operators] { return board.all(); };
    sources.queue_figures = services.queue_stats;
    if (services.queues) {
        sources.is_queue = [queues = services.queues](const std::string& number) { return queues->find(number).has_value(); };
        sources.queue_waiting = [queues = services.queues] {
            std::vector<std::pair<std::string, std::size_t>> waiting;
            for (const auto& queue : queues->all()) waiting.emplace_back(queue.extension, queues->waiting(queue.extension).size());
            return waiting;
        };
    }
    sources.stream_clients = [&realtime] { return realtime.client_count(); };
    sources.stream_deliveries = [&realtime] { return realtime.deliveries(); };
    sources.call_log = [&call_log] {
        const store::DatabaseHealth health = call_log.health();
        return metrics::CallLogFigures{call_log.writes(), call_log.failures(), call_log.spooled(), health.lost,
                                       health.queued};
    };
    sources.dependencies = [&probes = services.dependencies] {
        std::vector<metrics::DependencyState> states;
        for (const auto& probe : probes) {
            const api::DependencyStatus state = probe();
            states.push_back({state.name, state.ok});
        }
        return states;
    };
    if (services.webhooks != nullptr)
        sources.webhooks = [&dispatcher = services.webhooks->dispatcher()] {
            return metrics::WebhookFigures{dispatcher.delivered(), dispatcher.failed_attempts(), dispatcher.backlog()};
        };
    return sources;
}

}  // namespace ff::app
