// The service's figures for Prometheus (GET /metrics): counters kept from the call events of this instance,
// gauges read from their sources at each scrape. prometheus-cpp holds them and writes the exposition text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "calls/event_bus.hpp"
#include "calls/operator_status.hpp"
#include "calls/queue_stats.hpp"
#include "calls/telephony_status.hpp"

namespace prometheus {
class Histogram;
}

namespace ff::metrics {

struct DependencyState {
    std::string name;  // "database", "redis", "media"
    bool up = false;
};

// The call log's writer as the metrics see it.
struct CallLogFigures {
    std::uint64_t written = 0;  // call records written, at once or from the spool
    std::uint64_t failed = 0;   // refused by the database for good
    std::uint64_t spooled = 0;  // sent to the spool while the database was away
    std::uint64_t lost = 0;     // neither written nor spooled
    std::size_t queued = 0;     // waiting in the spool now
};

// Read at each scrape, from an HTTP thread; each may be empty (its figures are then left out).
// The webhooks' running totals and their outbox's backlog.
struct WebhookFigures {
    std::uint64_t delivered = 0;
    std::uint64_t failed_attempts = 0;
    std::int64_t backlog = 0;
};

struct MetricsSources {
    std::function<std::size_t()> active_calls;
    std::function<calls::TelephonyStatus()> telephony;
    std::function<std::vector<calls::OperatorStatus>()> operators;
    std::function<std::vector<std::pair<std::string, std::size_t>>()> queue_waiting;  // queue -> callers waiting
    std::function<std::size_t()> stream_clients;
    std::function<std::uint64_t()> stream_deliveries;  // events handed to Socket.IO clients so far
    std::function<CallLogFigures()> call_log;
    std::function<std::vector<DependencyState>()> dependencies;
    std::function<WebhookFigures()> webhooks;
    // Queues: whether an inbound call's number is one of the service's queues (then its end counts in the
    // queue's figures), and the thresholds of those figures (QUEUE_SERVICE_LEVEL_SECONDS, ...). Called from
    // the bus's thread.
    std::function<bool(const std::string& number)> is_queue;
    calls::QueueStatsOptions queue_figures;
};

class ServiceMetrics {
  public:
    // Counts the calls `bus` reports from now on.
    ServiceMetrics(calls::EventBus& bus, MetricsSources sources, const std::string& version);
    ~ServiceMetrics();
    ServiceMetrics(const ServiceMetrics&) = delete;
    ServiceMetrics& operator=(const ServiceMetrics&) = delete;

    // The exposition text (format 0.0.4) with every gauge read now. Any thread.
    std::string scrape();

    // Observers of latencies, in seconds, callable from any thread and safe after the metrics are gone: an
    // event from its publication to every client's session, and one call record's write to the database.
    std::function<void(double seconds)> event_fanout_observer() const;
    std::function<void(double seconds)> call_log_write_observer() const;
    // A webhook delivery, from the event to its receiver's answer.
    std::function<void(double seconds)> webhook_delivery_observer() const;

    struct Families;  // the registry and its families (service_metrics.cpp)

  private:
    // An observer of one of the histograms, safe after the metrics are gone.
    std::function<void(double seconds)> observer(prometheus::Histogram& (*histogram)(Families&)) const;
    void count(const calls::Event& event);
    void read_gauges();

    MetricsSources sources_;
    std::shared_ptr<Families> families_;  // shared with the bus's handler, which outlives this
};

}  // namespace ff::metrics
