// GET /api/queues (every role: the consoles name the queues and show who waits), GET
// /api/queues/:extension/stats and, for admins, PUT and DELETE /api/queues/:extension: the service's queues (calls/queue.hpp). A queue's line is one of the service's PBX
// accounts (the "Пользователи АТС" tab), its members are operators' lines; a line is the line of one queue at
// most and never both a queue's line and a member.
#include <algorithm>
#include <cmath>

#include "api/date_range.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/queue_list.hpp"
#include "config/live_settings.hpp"
#include "directory/phone_normalizer.hpp"
#include "store/store_worker.hpp"
#include "wire/queue_json.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;
using Queues = std::vector<calls::QueueConfig>;

nlohmann::json queues_json(const Queues& queues) {
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& queue : queues) listed.push_back(wire::to_json(queue));
    return listed;
}

// What the lines and the other queues allow of `queue`.
std::optional<ApiError> misfit(ApiServices& services, const calls::QueueConfig& queue, const Queues& others) {
    const auto is_line = [&services](const std::string& extension) { return services.settings.find_user(extension).has_value(); };
    if (!is_line(queue.extension))
        return validation_error("extension " + queue.extension +
                                " must be one of the service's lines (add the queue's PBX account under /api/settings/users)");
    for (const auto& member : queue.members) {
        if (!is_line(member.extension))
            return validation_error("member " + member.extension + " is not one of the service's lines");
    }
    for (const auto& other : others) {
        if (other.extension == queue.extension) continue;
        for (const auto& member : queue.members) {
            if (member.extension == other.extension)
                return validation_error("member " + member.extension + " is the line of queue \"" + other.name + "\"");
        }
        for (const auto& member : other.members) {
            if (member.extension == queue.extension)
                return validation_error("line " + queue.extension + " is a member of queue \"" + other.name + "\"");
        }
    }
    return std::nullopt;
}

// Read, change, store and apply on the storage thread: concurrent edits cannot lose each other.
void change_queues(ApiServices& services, const ApiRequestPtr& request,
                   std::function<ApiResult<nlohmann::json>(Queues&)> change) {
    services.store.post([&services, request, change = std::move(change)](store::Storage& storage) {
        auto stored = storage.load_queues();
        if (!stored) return reply_error_later(services, request, database_unavailable(stored.error()));
        Queues queues = std::move(stored).value();
        auto shown = change(queues);
        if (!shown) return reply_error_later(services, request, shown.error());
        if (auto saved = storage.save_queues(queues); !saved)
            return reply_error_later(services, request, from_error(saved.error()));
        services.queues->replace(queues);
        reply_json_later(services, request, status::ok, std::move(shown).value());
    });
}

}  // namespace

// With who waits in each queue now, for the boards.
void handle_list_queues(ApiServices& services, const ApiRequestPtr& request) {
    nlohmann::json listed = queues_json(services.queues->all());
    for (auto& queue : listed) queue["waiting"] = wire::waiting_json(services.queues->waiting(queue["extension"]));
    reply_json(request, status::ok, {{"queues", std::move(listed)}});
}

void handle_put_queue(ApiServices& services, const ApiRequestPtr& request) {
    const std::string extension = request->param("extension");
    nlohmann::json body = request->body;
    if (body.is_object() && !body.contains("extension")) body["extension"] = extension;
    auto parsed = wire::queue_from_json(body);
    if (!parsed) return reply_error(request, validation_error(parsed.error().message));
    calls::QueueConfig queue = std::move(parsed).value();
    if (queue.extension != extension)
        return reply_error(request, validation_error("extension " + queue.extension + " differs from the path's " + extension));
    if (!queue.overflow_number.empty()) {
        const auto number = services.phones.try_normalize(queue.overflow_number);
        if (!number)
            return reply_error(request, validation_error("overflowNumber must be a phone number (got \"" + queue.overflow_number + "\")"));
        queue.overflow_number = *number;
    }
    change_queues(services, request, [&services, queue](Queues& queues) -> ApiResult<nlohmann::json> {
        if (auto error = misfit(services, queue, queues)) return *error;
        const auto found = std::find_if(queues.begin(), queues.end(),
                                        [&](const calls::QueueConfig& one) { return one.extension == queue.extension; });
        if (found == queues.end()) queues.push_back(queue);
        else *found = queue;
        return nlohmann::json{{"success", true}, {"queue", wire::to_json(queue)}};
    });
}

void handle_delete_queue(ApiServices& services, const ApiRequestPtr& request) {
    const std::string extension = request->param("extension");
    change_queues(services, request, [extension](Queues& queues) -> ApiResult<nlohmann::json> {
        const auto removed = std::erase_if(queues, [&](const calls::QueueConfig& one) { return one.extension == extension; });
        if (removed == 0) return not_found("no queue on line " + extension);
        return nlohmann::json{{"success", true}};
    });
}

void handle_queue_stats(ApiServices& services, const ApiRequestPtr& request) {
    const std::string extension = request->param("extension");
    if (!is_extension(extension))
        return reply_error(request, validation_error("extension must be 1 to 16 digits (got \"" + extension + "\")"));
    auto range = parse_date_range(request->query(), calls::now_ms());
    if (!range) return reply_error(request, range.error());
    const auto queue = services.queues->find(extension);
    services.store.post_read([&services, request, extension, range = range.value(),
                              name = queue ? queue->name : std::string()](store::Storage& storage) {
        const auto read = storage.queue_stats(extension, range.from, range.until, services.queue_stats);
        if (!read) return reply_error_later(services, request, database_unavailable(read.error()));
        const calls::QueueStats& stats = read.value();
        const auto rounded = [](double value) { return std::round(value * 10.0) / 10.0; };
        reply_json_later(services, request, status::ok,
                         {{"stats",
                           {{"queue", extension},
                            {"name", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name)},
                            {"offered", stats.offered},
                            {"answered", stats.answered},
                            {"abandoned", stats.abandoned},
                            {"shortAbandoned", stats.short_abandoned},
                            {"waiting", stats.waiting},
                            {"serviceLevel", stats.service_level
                                                 ? nlohmann::json(std::round(*stats.service_level * 10000.0) / 10000.0)
                                                 : nlohmann::json(nullptr)},
                            {"serviceLevelSeconds", services.queue_stats.service_level.count()},
                            {"shortAbandonSeconds", services.queue_stats.short_abandon.count()},
                            {"averageWaitSeconds", rounded(stats.average_wait_seconds)},
                            {"longestWaitSeconds", rounded(stats.longest_wait_seconds)},
                            {"averageHandleSeconds", rounded(stats.average_handle_seconds)},
                            {"from", format_calendar_date(range.first_day)},
                            {"to", format_calendar_date(range.last_day)}}}});
    });
}

}  // namespace ff::api
