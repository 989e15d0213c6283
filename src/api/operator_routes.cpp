// The operators' states: GET /api/operators for the board, POST /api/operators/:extension/status for the
// operator's own choice (available or paused with a reason; an operator's token sets only its own extension,
// supervisors and admins any), and PUT /api/settings/pause-reasons for the admin's list of reasons.
#include "api/api_error.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/queue_list.hpp"
#include "calls/event_bus.hpp"
#include "calls/operator_board.hpp"
#include "config/live_settings.hpp"
#include "store/store_worker.hpp"
#include "wire/operator_json.hpp"

namespace ff::api {

using http::beast_http::status;
using nlohmann::json;

namespace {

constexpr std::size_t max_pause_reasons = 30;
constexpr std::size_t max_reason_length = 64;

// {reasons: ["обед", ...]}: 1 to 30 distinct reasons of 1 to 64 characters, trimmed.
ApiResult<std::vector<std::string>> pause_reasons_from(const json& body) {
    const auto found = body.find("reasons");
    if (found == body.end() || !found->is_array())
        return validation_error("reasons must be an array of the reasons an operator may pause for");
    if (found->empty() || found->size() > max_pause_reasons)
        return validation_error("reasons must hold 1 to " + std::to_string(max_pause_reasons) + " reasons");
    std::vector<std::string> reasons;
    for (const auto& item : *found) {
        if (!item.is_string()) return validation_error("reasons must be strings");
        std::string reason = item.get<std::string>();
        reason.erase(0, reason.find_first_not_of(" \t"));
        reason.erase(reason.find_last_not_of(" \t") + 1);
        const std::size_t length = utf8_length(reason);
        if (length == 0 || length > max_reason_length)
            return validation_error("each reason must have 1 to " + std::to_string(max_reason_length) +
                                    " characters (got \"" + reason + "\")");
        if (std::find(reasons.begin(), reasons.end(), reason) != reasons.end())
            return validation_error("reason \"" + reason + "\" is given twice");
        reasons.push_back(std::move(reason));
    }
    return reasons;
}

json operator_json(const calls::OperatorStatus& state, const config::SipUser& user) {
    json shown = wire::to_json(state);
    shown["name"] = user.display_name;
    return shown;
}

}  // namespace

void handle_list_operators(ApiServices& services, const ApiRequestPtr& request) {
    if (services.operators == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no operator board")));
    const auto& principal = request->principal;
    json listed = json::array();
    for (const auto& user : services.settings.users()) {
        // A queue's line is the number customers call, not an operator.
        if (!principal.may_see_extension(user.extension) || services.queues->find(user.extension)) continue;
        listed.push_back(operator_json(services.operators->of(user.extension), user));
    }
    const auto& board = *services.operators;
    json busy = json::array();
    for (const auto state : board.busy_when()) busy.push_back(calls::to_string(state));
    reply_json(request, status::ok,
               {{"operators", listed},
                {"pauseReasons", board.pause_reasons()},
                {"wrapupSeconds", board.wrapup().count()},
                {"busyWhen", busy}});
}

void handle_set_operator_status(ApiServices& services, const ApiRequestPtr& request) {
    if (services.operators == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no operator board")));
    const std::string& extension = request->param("extension");
    const auto user = services.settings.find_user(extension);
    if (!user) return reply_error(request, not_found("no operator with extension " + extension + " (see /api/settings/users)"));
    if (!request->principal.may_see_extension(extension))
        return reply_error(request, forbidden("an operator token may set only its own status, extension " +
                                              request->principal.extension));
    auto wanted = required_string(request->body, "status", 16);
    if (!wanted) return reply_error(request, wanted.error());
    const auto state = calls::parse_operator_state(*wanted);
    if (!state) return reply_error(request, validation_error("status must be available or paused (got \"" + *wanted + "\")"));
    auto reason = optional_string(request->body, "reason", 1, 64);
    if (!reason) return reply_error(request, reason.error());
    if (*state == calls::OperatorState::paused && !reason->has_value())
        return reply_error(request, validation_error("reason is required with status paused: one of the pause reasons"));
    auto chosen = services.operators->choose(extension, *state, reason->value_or(""), calls::now_ms());
    if (!chosen) return reply_error(request, from_error(chosen.error()));
    if (services.share_operator_choice) services.share_operator_choice(extension, *state, reason->value_or(""));
    reply_json(request, status::ok, {{"success", true}, {"operator", operator_json(chosen.value(), *user)}});
}

void handle_put_pause_reasons(ApiServices& services, const ApiRequestPtr& request) {
    if (services.operators == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no operator board")));
    auto reasons = pause_reasons_from(request->body);
    if (!reasons) return reply_error(request, reasons.error());
    services.store.post([&services, request, reasons = reasons.value()](store::Storage& storage) {
        if (auto saved = storage.save_pause_reasons(reasons); !saved)
            return reply_error_later(services, request, database_unavailable(saved.error()));
        // Applied only once stored: what runs is always what a restart would load. The consoles hear of it.
        services.operators->set_pause_reasons(reasons);
        services.bus.publish(calls::PauseReasonsEvent{reasons});
        reply_json_later(services, request, status::ok, {{"success", true}, {"pauseReasons", reasons}});
    });
}

}  // namespace ff::api
