// GET /api/callbacks and GET /api/callbacks/stats: the customers whose calls nobody answered, until an
// answered call connects with them again (calls/callback_list.hpp). Every role sees the whole list: calling a
// customer back is the centre's work, whoever's line they called.
#include "api/date_range.hpp"
#include "api/route_handlers.hpp"
#include "store/store_worker.hpp"
#include "wire/callback_json.hpp"

namespace ff::api {

void handle_list_callbacks(ApiServices& services, const ApiRequestPtr& request) {
    const auto& query = request->query();
    std::optional<calls::CallbackStatus> status = calls::CallbackStatus::waiting;  // all: nullopt
    if (const auto found = query.find("status"); found != query.end() && found->second != "waiting") {
        status = calls::parse_callback_status(found->second);
        if (!status && found->second != "all")
            return reply_error(request, validation_error("status must be waiting, calledBack, calledAgain or all (got \"" +
                                                         found->second + "\")"));
    }
    const auto now = calls::now_ms();
    const auto since = now - std::chrono::hours(24) * services.callback_days;
    services.store.post_read([&services, request, status, since, now](store::Storage& storage) {
        auto entries = storage.callbacks(since);
        if (!entries) return reply_error_later(services, request, database_unavailable(entries.error()));
        nlohmann::json listed = nlohmann::json::array();
        for (const auto& entry : entries.value()) {
            if (!status || entry.status == *status) listed.push_back(wire::to_json(entry, now));
        }
        reply_json_later(services, request, http::beast_http::status::ok,
                         {{"callbacks", std::move(listed)}, {"days", services.callback_days}});
    });
}

void handle_callback_stats(ApiServices& services, const ApiRequestPtr& request) {
    auto range = parse_date_range(request->query(), calls::now_ms());
    if (!range) return reply_error(request, range.error());
    services.store.post_read([&services, request, range = range.value()](store::Storage& storage) {
        auto entries = storage.callbacks(range.from);
        if (!entries) return reply_error_later(services, request, database_unavailable(entries.error()));
        nlohmann::json stats = wire::to_json(calls::summarize_callbacks(entries.value(), range.from, range.until));
        stats["from"] = format_calendar_date(range.first_day);
        stats["to"] = format_calendar_date(range.last_day);
        reply_json_later(services, request, http::beast_http::status::ok, {{"stats", std::move(stats)}});
    });
}

}  // namespace ff::api
