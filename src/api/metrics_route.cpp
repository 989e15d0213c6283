// GET /metrics: the service's figures in Prometheus's text format, for its scrapers (who may read it without a
// token from an address in METRICS_ALLOW, with a metrics token, or with an admin token).
#include "api/route_handlers.hpp"
#include "metrics/service_metrics.hpp"

namespace ff::api {

void handle_metrics(ApiServices& services, const ApiRequestPtr& request) {
    if (services.metrics == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no metrics kept")));
    http::Response response{http::beast_http::status::ok, 11};
    response.set(http::beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.set(http::beast_http::field::cache_control, "no-store");
    response.body() = services.metrics->scrape();
    response.prepare_payload();
    request->context->reply(std::move(response));
}

}  // namespace ff::api
