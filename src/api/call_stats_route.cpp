// GET /api/calls/stats/:extension: one operator's figures over whole local days, with order conversion.
#include <cmath>

#include "api/date_range.hpp"
#include "api/dialled_filter.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

// {available, paused, wrapup, oncall, offline} in whole seconds, and pausedByReason {reason: seconds}.
nlohmann::json time_in_states(const store::OperatorTime& time) {
    nlohmann::json seconds = nlohmann::json::object();
    for (const char* state : {"available", "paused", "wrapup", "oncall", "offline"}) {
        const auto found = time.seconds.find(state);
        seconds[state] = found == time.seconds.end() ? 0 : static_cast<std::int64_t>(std::lround(found->second));
    }
    nlohmann::json by_reason = nlohmann::json::object();
    for (const auto& [reason, value] : time.paused_by_reason) by_reason[reason] = std::lround(value);
    seconds["pausedByReason"] = by_reason;
    return seconds;
}

}  // namespace

void handle_stats(ApiServices& services, const ApiRequestPtr& request) {
    const std::string extension = request->param("extension");
    if (!is_extension(extension))
        return reply_error(request,
                           validation_error("extension must be 1 to 16 digits (got \"" + extension + "\")"));
    if (!request->principal.may_see_extension(extension))
        return reply_error(request,
                           forbidden("an operator token sees only the statistics of its own extension " +
                                     request->principal.extension));
    auto range = parse_date_range(request->query(), calls::now_ms());
    if (!range) return reply_error(request, range.error());

    auto dialled = dialled_filter(*request, services.phones);
    if (!dialled) return reply_error(request, dialled.error());
    store::StatsQuery query{extension, range->from, range->until, dialled->value_or("")};
    services.store.post_read([&services, request, query, range = range.value()](store::Storage& storage) {
        const auto read = storage.stats(query);
        if (!read) return reply_error_later(services, request, database_unavailable(read.error()));
        const auto time = storage.operator_time(query.extension, query.from, query.until, calls::now_ms());
        if (!time) return reply_error_later(services, request, database_unavailable(time.error()));
        const store::OperatorStats& stats = read.value();
        reply_json_later(services, request, http::beast_http::status::ok,
                         {{"stats",
                           {
                               {"extension", query.extension},
                               {"dialledNumber", query.dialled.empty() ? nlohmann::json(nullptr) : nlohmann::json(query.dialled)},
                               {"totalCalls", stats.total_calls},
                               {"inboundCalls", stats.inbound_calls},
                               {"outboundCalls", stats.outbound_calls},
                               {"answeredCalls", stats.answered_calls},
                               {"missedCalls", stats.missed_calls},
                               {"averageDuration", stats.average_duration},
                               {"totalDuration", stats.total_duration},
                               {"ordersLinked", stats.orders_linked},
                               {"callsWithOrders", stats.calls_with_orders},
                               {"oneWayAudioCalls", stats.one_way_audio_calls},
                               // A share of calls (0..1), rounded so that clients print it as they get it.
                               {"conversionRate", std::round(stats.conversion_rate * 10000.0) / 10000.0},
                               {"from", format_calendar_date(range.first_day)},
                               {"to", format_calendar_date(range.last_day)},
                               {"timeInStates", time_in_states(time.value())},
                           }}});
    });
}

}  // namespace ff::api
