// Where the /metrics figures come from in this service: the registry, the engine, the boards, the stream and
// the call log, read at each scrape.
#pragma once

#include "api/api_services.hpp"
#include "metrics/service_metrics.hpp"

namespace ff::realtime {
class RealtimeServer;
}
namespace ff::store {
class CallLogWriter;
}

namespace ff::app {

// Everything referred to must outlive the metrics.
metrics::MetricsSources metrics_sources(const api::ApiServices& services, const realtime::RealtimeServer& realtime,
                                        const store::CallLogWriter& call_log);

}  // namespace ff::app
