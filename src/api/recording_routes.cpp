// A call's recording: started and stopped on request while the call is up, and served once made, with HTTP
// Range so that a browser's player can seek. Under the same rights as the call: an operator records only
// their own calls and hears only the calls they had a turn with. The file is read on a storage reader thread,
// beside the call's row, never on the network thread.
#include "api/fields.hpp"
#include "api/recording_file.hpp"
#include "api/route_handlers.hpp"
#include "calls/call_control.hpp"
#include "calls/recording_router.hpp"
#include "wire/call_json.hpp"
#include "recordings/recording_files.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

using http::beast_http::field;
using http::beast_http::status;

bool operator_had(const calls::Call& call, const std::string& extension) {
    if (call.extension == extension) return true;
    for (const auto& turn : call.operators) {
        if (turn.extension == extension) return true;
    }
    return false;
}

ApiError recording_error(status code, std::string error_code, std::string message) {
    return {code, std::move(error_code), std::move(message)};
}

// Why a call in the log has no file to serve, or nullopt when it should have one.
std::optional<ApiError> not_servable(const calls::Call& call) {
    const std::string name = "call " + call.id;
    if (!call.recording)
        return recording_error(status::not_found, "RECORDING_NOT_FOUND", name + " was not recorded");
    switch (call.recording->status) {
        case calls::RecordingStatus::ready:
            return std::nullopt;
        case calls::RecordingStatus::failed:
            return recording_error(status::not_found, "RECORDING_FAILED",
                                   name + ": its recording failed: " + call.recording->reason);
        case calls::RecordingStatus::recording:
        case calls::RecordingStatus::paused:
            return recording_error(status::conflict, "RECORDING_NOT_READY",
                                   name + " is still up; its recording is made when it ends");
        case calls::RecordingStatus::processing:
            break;
    }
    return recording_error(status::conflict, "RECORDING_NOT_READY",
                           name + ": its recording is being made; ask again in a few seconds");
}

http::Response audio_response(calls::RecordingBytes bytes) {
    http::Response response{static_cast<status>(bytes.status), 11};
    response.set(field::content_type, "audio/ogg");
    response.set(field::accept_ranges, "bytes");
    response.set(field::cache_control, "private, no-store");
    if (!bytes.content_range.empty()) response.set(field::content_range, bytes.content_range);
    response.body() = std::move(bytes.body);
    return response;
}

// The file's bytes, or why there are none, as the API answers them.
ApiError bytes_error(const calls::Error& error) {
    if (error.code == calls::ErrorCode::not_found)
        return recording_error(status::not_found, "RECORDING_NOT_FOUND", error.message);
    if (error.code == calls::ErrorCode::internal)
        return recording_error(status::internal_server_error, "RECORDING_UNREADABLE", error.message);
    return from_error(error, Subject::call);  // another instance away or silent: 503 / 504
}

}  // namespace

void handle_record_call(ApiServices& services, const ApiRequestPtr& request) {
    auto action = required_string(request->body, "action", 16);
    if (!action) return reply_error(request, action.error());
    if (*action != "start" && *action != "stop")
        return reply_error(request, validation_error("action must be start or stop (got \"" + *action + "\")"));
    const std::string& call_id = request->param("callId");
    if (!services.recording_on_request)
        return reply_error(request, recording_error(status::conflict, "RECORDING_OFF",
                                                    "recording is off (RECORDING=off): set RECORDING=on-demand or all"));
    auto call = services.calls.find(call_id);
    if (!call) return reply_error(request, call_not_found(call_id));
    if (!request->principal.may_see_extension(call->extension))
        return reply_error(request, forbidden("call " + call_id + " belongs to extension " + call->extension +
                                              "; an operator token may record only its own extension's calls"));
    services.control.record(call_id, *action == "start", [&services, request](calls::Result<calls::Call> result) {
        if (!result) return reply_error_later(services, request, from_error(result.error(), Subject::call));
        reply_json_later(services, request, status::ok, {{"success", true}, {"call", wire::to_json(result.value())}});
    });
}

void handle_call_recording(ApiServices& services, const ApiRequestPtr& request) {
    const std::string call_id = request->param("callId");
    if (!recordings::recording_file(services.recording_dir, call_id)) return reply_error(request, call_not_found(call_id));
    const auto header = request->context->request[field::range];
    services.store.post_read([&services, request, call_id,
                              range = std::string(header.data(), header.size())](store::Storage& storage) {
        const auto stored = storage.find_call(call_id);
        if (!stored) return reply_error_later(services, request, database_unavailable(stored.error()));
        if (!stored.value()) return reply_error_later(services, request, call_not_found(call_id));
        const calls::Call& call = *stored.value();
        if (!request->principal.sees_all_calls() && !operator_had(call, request->principal.extension))
            return reply_error_later(services, request,
                                     forbidden("call " + call_id + " was not extension " + request->principal.extension +
                                               "'s; an operator token hears only its own calls"));
        if (auto refused = not_servable(call)) return reply_error_later(services, request, *refused);
        const auto answer = [&services, request](calls::Result<calls::RecordingBytes> bytes) {
            if (!bytes) return reply_error_later(services, request, bytes_error(bytes.error()));
            request->context->reply(audio_response(std::move(bytes).value()));
        };
        // Kept by another instance (several instances on one Redis): that one serves it.
        const std::string& keeper = call.recording->instance;
        if (!keeper.empty() && keeper != services.instance_id && services.recordings != nullptr)
            return services.recordings->fetch(keeper, call_id, range, answer);
        answer(read_recording_bytes(services.recording_dir, call_id, range));
    });
}

}  // namespace ff::api
