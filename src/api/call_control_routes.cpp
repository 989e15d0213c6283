// Click-to-call and the call buttons. Everything the API can check is checked here, before the SIP
// engine is asked; its answer arrives on its own thread and is sent back from the io_context.
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "config/live_settings.hpp"
#include "directory/phone_normalizer.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;

calls::CallControl::Completion answer_with_call(ApiServices& services, const ApiRequestPtr& request) {
    return [&services, request](calls::Result<calls::Call> result) {
        if (!result) return reply_error_later(services, request, from_error(result.error(), Subject::call));
        reply_json_later(services, request, status::ok,
                         {{"success", true}, {"call", wire::to_json(result.value())}});
    };
}

// The active call the request names, if this caller may act on it and its state allows `action`.
ApiResult<calls::Call> actionable_call(ApiServices& services, const ApiRequestPtr& request,
                                       calls::CallAction action) {
    const std::string& call_id = request->param("callId");
    auto call = services.calls.find(call_id);
    if (!call) return call_not_found(call_id);
    if (!request->principal.may_see_extension(call->extension))
        return forbidden("call " + call_id + " belongs to extension " + call->extension +
                         "; an operator token controls only the calls of extension " +
                         request->principal.extension);
    if (!calls::allows(call->status, action, call->direction)) {
        return ApiError{
            status::conflict, "INVALID_CALL_STATE",
            "cannot " + std::string(calls::to_string(action)) + " call " + call_id + ": it is " +
                std::string(calls::to_string(call->status)) +
                (action == calls::CallAction::answer && call->direction == calls::Direction::outbound
                     ? " and outbound"
                     : "")};
    }
    return std::move(*call);
}

template <class Command>
void run_action(ApiServices& services, const ApiRequestPtr& request, calls::CallAction action,
                Command command) {
    auto call = actionable_call(services, request, action);
    if (!call) return reply_error(request, call.error());
    command(call->id, answer_with_call(services, request));
}

}  // namespace

void handle_dial(ApiServices& services, const ApiRequestPtr& request) {
    const auto& body = request->body;
    auto from = required_string(body, "from", 32);
    if (!from) return reply_error(request, from.error());
    if (!services.settings.find_user(*from))
        return reply_error(request, validation_error("from must be a configured extension; " + *from +
                                                     " is not one (see /api/settings/users)"));
    if (!request->principal.may_see_extension(*from))
        return reply_error(request, forbidden("an operator token may dial only from its own extension " +
                                              request->principal.extension));
    auto to = required_string(body, "to", 64);
    if (!to) return reply_error(request, to.error());
    const auto destination = services.phones.try_normalize(*to);
    if (!destination)
        return reply_error(
            request, validation_error("to must be a phone number or an extension (got \"" + *to + "\")"));
    auto auto_answer = optional_bool(body, "autoAnswer");
    if (!auto_answer) return reply_error(request, auto_answer.error());
    auto browser_phone = optional_string(body, "browserPhone", 1, 64);
    if (!browser_phone) return reply_error(request, browser_phone.error());
    if (*destination == *from) return reply_error(request, validation_error("to must differ from from"));

    calls::DialRequest dial{*from, *destination, *to, auto_answer->value_or(false), browser_phone->value_or("")};
    services.control.dial(std::move(dial), answer_with_call(services, request));
}

void handle_answer(ApiServices& services, const ApiRequestPtr& request) {
    run_action(services, request, calls::CallAction::answer, [&services](std::string id, auto done) {
        services.control.answer(std::move(id), std::move(done));
    });
}

void handle_hangup(ApiServices& services, const ApiRequestPtr& request) {
    run_action(services, request, calls::CallAction::hangup, [&services](std::string id, auto done) {
        services.control.hangup(std::move(id), std::move(done));
    });
}

// An active call's audio so far (MEDIA=rtpengine): what each direction carried, for "the customer cannot hear
// me" while the call is still up.
void handle_call_media(ApiServices& services, const ApiRequestPtr& request) {
    const std::string& call_id = request->param("callId");
    auto call = services.calls.find(call_id);
    if (!call) return reply_error(request, call_not_found(call_id));
    if (!request->principal.may_see_extension(call->extension))
        return reply_error(request, forbidden("call " + call_id + " belongs to extension " + call->extension +
                                              "; an operator token sees only the calls of extension " +
                                              request->principal.extension));
    services.control.media(call_id, [&services, request](calls::Result<calls::Call> result) {
        if (!result) return reply_error_later(services, request, from_error(result.error(), Subject::call));
        reply_json_later(services, request, status::ok,
                         {{"success", true},
                          {"callId", result->id},
                          {"media", result->media ? wire::to_json(*result->media) : nlohmann::json(nullptr)}});
    });
}

void handle_hold(ApiServices& services, const ApiRequestPtr& request) {
    run_action(services, request, calls::CallAction::hold, [&services](std::string id, auto done) {
        services.control.hold(std::move(id), std::move(done));
    });
}

void handle_unhold(ApiServices& services, const ApiRequestPtr& request) {
    run_action(services, request, calls::CallAction::unhold, [&services](std::string id, auto done) {
        services.control.unhold(std::move(id), std::move(done));
    });
}

namespace {

// {action: "complete" | "cancel"}: the attended transfer under way joins the customer and the target, or the
// operator goes back to the customer.
void settle_transfer(ApiServices& services, const ApiRequestPtr& request, const std::string& action) {
    if (action != "complete" && action != "cancel")
        return reply_error(request, validation_error("action must be \"complete\" or \"cancel\" (got \"" + action + "\")"));
    if (request->body.contains("target"))
        return reply_error(request, validation_error("target goes with a new transfer, not with action " + action));
    const bool complete = action == "complete";
    auto call = actionable_call(services, request,
                                complete ? calls::CallAction::complete_transfer : calls::CallAction::cancel_transfer);
    if (call && !call->consultation)
        call = ApiError{status::conflict, "INVALID_CALL_STATE",
                        "cannot " + action + " the transfer of call " + call->id +
                            ": it has no attended transfer under way"};
    if (!call) return reply_error(request, call.error());
    services.control.settle_transfer(call->id, complete, answer_with_call(services, request));
}

}  // namespace

// A new transfer {target, mode: "blind" (the default) | "attended"}, or {action} for the attended one under way.
void handle_transfer(ApiServices& services, const ApiRequestPtr& request) {
    auto action = optional_string(request->body, "action", 1, 16);
    if (!action) return reply_error(request, action.error());
    if (*action) return settle_transfer(services, request, **action);
    auto mode = optional_string(request->body, "mode", 1, 16);
    if (!mode) return reply_error(request, mode.error());
    const std::string transfer_mode = mode->value_or("blind");
    if (transfer_mode != "blind" && transfer_mode != "attended")
        return reply_error(request, validation_error("mode must be \"blind\" or \"attended\" (got \"" + transfer_mode + "\")"));
    auto call = actionable_call(services, request, calls::CallAction::transfer);
    if (!call) return reply_error(request, call.error());
    auto target = required_string(request->body, "target", 64);
    if (!target) return reply_error(request, target.error());
    auto destination = services.phones.try_normalize(*target);
    if (!destination)
        return reply_error(request, validation_error("target must be a phone number or an extension (got \"" +
                                                     *target + "\")"));
    if (*destination == call->extension)
        return reply_error(
            request, validation_error("target " + *destination + " is the extension that has the call"));
    if (transfer_mode == "attended")
        return services.control.consult(call->id, *destination, answer_with_call(services, request));
    services.control.transfer(call->id, *destination, answer_with_call(services, request));
}

}  // namespace ff::api
