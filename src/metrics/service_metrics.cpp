// Names follow Prometheus's conventions: a ff_ prefix, _total on counters, base units (seconds). Figures the
// sources keep as running totals (the call log's) are carried into counters by their growth since the last
// scrape, so that a counter never goes back.
#include "metrics/service_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <map>
#include <mutex>

namespace ff::metrics {

namespace {

using Labels = std::map<std::string, std::string>;

prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& registry, const char* name, const char* help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& registry, const char* name,
                                                 const char* help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

// From a millisecond to a few seconds: loopback deliveries, a database on the same host or a busy one.
const prometheus::Histogram::BucketBoundaries latency_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                              0.05,   0.1,   0.25,   0.5,   1,     2.5};

prometheus::Histogram& latency(prometheus::Registry& registry, const char* name, const char* help) {
    return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add({}, latency_buckets);
}

// A counter that follows a running total kept elsewhere.
void follow(prometheus::Counter& counter, std::uint64_t total) {
    const double now = static_cast<double>(total);
    if (now > counter.Value()) counter.Increment(now - counter.Value());
}

constexpr calls::OperatorState operator_states[] = {calls::OperatorState::available, calls::OperatorState::paused,
                                                    calls::OperatorState::wrapup, calls::OperatorState::oncall,
                                                    calls::OperatorState::offline};

}  // namespace

struct ServiceMetrics::Families {
    std::mutex mutex;  // scrapes from several HTTP threads; counting from the bus's
    prometheus::Registry registry;
    prometheus::Family<prometheus::Gauge>& build = gauge(registry, "ff_build_info", "The service's version, as a label");
    prometheus::Family<prometheus::Gauge>& started =
        gauge(registry, "ff_start_time_seconds", "When the service started, in seconds since the epoch");
    prometheus::Family<prometheus::Gauge>& active = gauge(registry, "ff_calls_active", "Calls up at this instance now");
    prometheus::Family<prometheus::Counter>& ended =
        counter(registry, "ff_calls_ended_total", "Calls of this instance that ended, by direction and end reason");
    prometheus::Family<prometheus::Gauge>& lines = gauge(registry, "ff_lines", "The operators' lines configured");
    prometheus::Family<prometheus::Gauge>& lines_registered =
        gauge(registry, "ff_lines_registered", "Lines registered at the PBX");
    prometheus::Family<prometheus::Gauge>& phones =
        gauge(registry, "ff_phones_registered", "Lines with an operator's phone registered to the service");
    prometheus::Family<prometheus::Gauge>& operators =
        gauge(registry, "ff_operators", "Operators in each state (available, paused, wrapup, oncall, offline)");
    prometheus::Family<prometheus::Gauge>& waiting =
        gauge(registry, "ff_queue_waiting", "Callers waiting in each of the service's queues");
    prometheus::Family<prometheus::Gauge>& clients =
        gauge(registry, "ff_socketio_clients", "Socket.IO clients connected to this instance");
    prometheus::Family<prometheus::Counter>& deliveries = counter(
        registry, "ff_socketio_deliveries_total", "Events handed to Socket.IO clients, one per client per event");
    prometheus::Family<prometheus::Counter>& queue_calls = counter(
        registry, "ff_queue_calls_total",
        "Calls to each queue that ended, by outcome (served_in_time, served_late, abandoned, short_abandoned)");
    prometheus::Family<prometheus::Gauge>& service_level = gauge(
        registry, "ff_queue_service_level",
        "Share of each queue's calls answered within QUEUE_SERVICE_LEVEL_SECONDS since the start, short abandons left out");
    prometheus::Family<prometheus::Counter>& written =
        counter(registry, "ff_call_log_written_total", "Call records written to the database, at once or from the spool");
    prometheus::Family<prometheus::Counter>& failed =
        counter(registry, "ff_call_log_failed_total", "Call records the database refused for good");
    prometheus::Family<prometheus::Counter>& spooled =
        counter(registry, "ff_call_log_spooled_total", "Call records kept in the spool while the database was away");
    prometheus::Family<prometheus::Counter>& lost =
        counter(registry, "ff_call_log_lost_total", "Call records neither written nor spooled");
    prometheus::Family<prometheus::Gauge>& queued =
        gauge(registry, "ff_call_log_spool_depth", "Call records waiting in the spool for the database");
    prometheus::Family<prometheus::Gauge>& dependencies =
        gauge(registry, "ff_dependency_up", "1 while a dependency (database, redis, media) works, else 0");
    prometheus::Histogram& fanout = latency(registry, "ff_event_fanout_seconds",
                                            "From an event's publication to its handing to every Socket.IO client");
    prometheus::Histogram& write = latency(registry, "ff_call_log_write_seconds", "One write of call records to the database (a burst of them in one transaction)");
    prometheus::Family<prometheus::Counter>& webhooks_delivered =
        counter(registry, "ff_webhook_delivered_total", "Webhook deliveries a receiver accepted (2xx)");
    prometheus::Family<prometheus::Counter>& webhooks_failed =
        counter(registry, "ff_webhook_failed_attempts_total", "Webhook delivery attempts that failed (to be retried or given up)");
    prometheus::Family<prometheus::Gauge>& webhook_backlog =
        gauge(registry, "ff_webhook_backlog", "Webhook deliveries owed, every webhook together");
    prometheus::Histogram& webhook_delivery =
        latency(registry, "ff_webhook_delivery_seconds", "From an event to its webhook receiver's acceptance");
    std::map<std::string, prometheus::Gauge*> queues;  // the queues' gauges, removed with their queue
};

namespace {

// One ended call of a queue into its counters, and the queue's service level since the start recomputed.
void count_queue_call(ServiceMetrics::Families& f, const calls::Call& call, const calls::QueueStatsOptions& figures) {
    const calls::QueueOutcome outcome =
        calls::queue_outcome({call.start_time, call.answer_time, call.end_time}, figures);
    const auto of = [&f, &call](calls::QueueOutcome counted) -> prometheus::Counter& {
        return f.queue_calls.Add({{"queue", call.to}, {"outcome", std::string(calls::to_string(counted))}});
    };
    of(outcome).Increment();
    const double in_time = of(calls::QueueOutcome::served_in_time).Value();
    const double counted = in_time + of(calls::QueueOutcome::served_late).Value() + of(calls::QueueOutcome::abandoned).Value();
    if (counted > 0) f.service_level.Add({{"queue", call.to}}).Set(in_time / counted);
}

}  // namespace

ServiceMetrics::ServiceMetrics(calls::EventBus& bus, MetricsSources sources, const std::string& version)
    : sources_(std::move(sources)), families_(std::make_shared<Families>()) {
    families_->build.Add({{"version", version}}).Set(1);
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    families_->started.Add({}).Set(std::chrono::duration<double>(since_epoch).count());
    bus.subscribe([families = families_, is_queue = sources_.is_queue,
                   figures = sources_.queue_figures](const calls::Event& event) {
        const auto* ended = std::get_if<calls::CallEvent>(&event);
        if (ended == nullptr || ended->kind != calls::CallEventKind::ended) return;
        const calls::Call& call = ended->call;
        std::lock_guard lock(families->mutex);
        families->ended
            .Add({{"direction", std::string(calls::to_string(call.direction))},
                  {"end_reason", std::string(calls::to_string(call.end_reason))}})
            .Increment();
        if (call.direction == calls::Direction::inbound && is_queue && is_queue(call.to))
            count_queue_call(*families, call, figures);
    });
}

ServiceMetrics::~ServiceMetrics() = default;

std::string ServiceMetrics::scrape() {
    std::lock_guard lock(families_->mutex);
    read_gauges();
    return prometheus::TextSerializer().Serialize(families_->registry.Collect());
}

std::function<void(double seconds)> ServiceMetrics::observer(prometheus::Histogram& (*histogram)(Families&)) const {
    return [families = families_, histogram](double seconds) {
        std::lock_guard lock(families->mutex);
        histogram(*families).Observe(seconds);
    };
}

std::function<void(double seconds)> ServiceMetrics::event_fanout_observer() const {
    return observer([](Families& f) -> prometheus::Histogram& { return f.fanout; });
}

std::function<void(double seconds)> ServiceMetrics::call_log_write_observer() const {
    return observer([](Families& f) -> prometheus::Histogram& { return f.write; });
}

std::function<void(double seconds)> ServiceMetrics::webhook_delivery_observer() const {
    return observer([](Families& f) -> prometheus::Histogram& { return f.webhook_delivery; });
}

void ServiceMetrics::read_gauges() {
    Families& f = *families_;
    if (sources_.active_calls) f.active.Add({}).Set(static_cast<double>(sources_.active_calls()));
    if (sources_.telephony) {
        const calls::TelephonyStatus status = sources_.telephony();
        double registered = 0;
        double phones = 0;
        for (const auto& line : status.lines) {
            registered += line.registered ? 1 : 0;
            phones += line.device_registered ? 1 : 0;
        }
        f.lines.Add({}).Set(static_cast<double>(status.lines.size()));
        f.lines_registered.Add({}).Set(registered);
        f.phones.Add({}).Set(phones);
    }
    if (sources_.operators) {
        std::map<calls::OperatorState, double> counted;
        for (const auto& status : sources_.operators()) counted[status.state] += 1;
        for (const auto state : operator_states)
            f.operators.Add({{"state", std::string(calls::to_string(state))}}).Set(counted[state]);
    }
    if (sources_.queue_waiting) {
        std::map<std::string, prometheus::Gauge*> seen;
        for (const auto& [queue, callers] : sources_.queue_waiting()) {
            auto& one = f.waiting.Add({{"queue", queue}});
            one.Set(static_cast<double>(callers));
            seen[queue] = &one;
        }
        for (const auto& [queue, gone] : f.queues)
            if (!seen.contains(queue)) f.waiting.Remove(gone);
        f.queues = std::move(seen);
    }
    if (sources_.stream_clients) f.clients.Add({}).Set(static_cast<double>(sources_.stream_clients()));
    if (sources_.stream_deliveries) follow(f.deliveries.Add({}), sources_.stream_deliveries());
    if (sources_.call_log) {
        const CallLogFigures log = sources_.call_log();
        follow(f.written.Add({}), log.written);
        follow(f.failed.Add({}), log.failed);
        follow(f.spooled.Add({}), log.spooled);
        follow(f.lost.Add({}), log.lost);
        f.queued.Add({}).Set(static_cast<double>(log.queued));
    }
    if (sources_.webhooks) {
        const WebhookFigures webhooks = sources_.webhooks();
        follow(f.webhooks_delivered.Add({}), webhooks.delivered);
        follow(f.webhooks_failed.Add({}), webhooks.failed_attempts);
        f.webhook_backlog.Add({}).Set(static_cast<double>(webhooks.backlog));
    }
    if (sources_.dependencies) {
        for (const auto& dependency : sources_.dependencies())
            f.dependencies.Add({{"dependency", dependency.name}}).Set(dependency.up ? 1 : 0);
    }
}

}  // namespace ff::metrics
