// TEST-ONLY. Each route is one thing the SIP side can report; tests drive whole call flows with them.
#include "testing/simulator_routes.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <filesystem>
#include <fstream>

#include "api/api_error.hpp"
#include "api/fields.hpp"
#include "api/json_response.hpp"
#include "api/request_body.hpp"
#include "config/live_settings.hpp"
#include "directory/caller_identification.hpp"
#include "directory/phone_normalizer.hpp"
#include "recordings/recording_files.hpp"
#include "store/store_worker.hpp"
#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"

namespace ff::testing {
namespace {

using http::beast_http::status;
using http::beast_http::verb;
using Context = std::shared_ptr<http::RequestContext>;

void reply_call(const Context& context, status code, const calls::Result<calls::Call>& result) {
    if (!result) {
        context->reply(api::error_response(api::from_error(result.error(), api::Subject::call)));
        return;
    }
    context->reply(api::json_response(code, {{"success", true}, {"call", wire::to_json(result.value())}}));
}

// Parses the body, then runs `handle` with it; answers 4xx itself when the body is wrong.
template <class Handle>
http::RouteHandler with_body(Handle handle) {
    return [handle](Context context) {
        auto body = api::parse_json_body(context->request);
        if (!body) {
            context->reply(api::error_response(body.error()));
            return;
        }
        handle(context, body.value());
    };
}

void install_call_report(http::Router& router, SimulatedCallControl& control, const std::string& what,
                         std::function<calls::Transition()> transition) {
    router.add(verb::post, "/_simulator/calls/:id/" + what, [&control, transition](Context context) {
        reply_call(context, status::ok,
                   control.telephony().registry.apply(context->params.at("id"), transition()));
    });
}

void inbound(api::ApiServices& services, SimulatedCallControl& control, const Context& context,
             const nlohmann::json& body) {
    auto from = api::required_string(body, "from", 64);
    if (!from) return context->reply(api::error_response(from.error()));
    auto caller = services.phones.try_normalize(*from);
    if (!caller)
        return context->reply(api::error_response(api::validation_error("from must be a phone number")));
    auto extension = api::required_string(body, "extension", 16);
    if (!extension) return context->reply(api::error_response(extension.error()));
    if (!services.settings.find_user(*extension))
        return context->reply(
            api::error_response(api::validation_error("extension " + *extension + " is not configured")));
    auto sip_call_id = api::optional_string(body, "sipCallId", 0, 200);
    if (!sip_call_id) return context->reply(api::error_response(sip_call_id.error()));
    // What the SIP engine reads from the INVITE's headers (sip/bridge/inbound_identity.hpp), given as is.
    auto dialled = api::optional_string(body, "dialledNumber", 1, 64);
    if (!dialled) return context->reply(api::error_response(dialled.error()));
    auto dialled_name = api::optional_string(body, "dialledName", 1, 100);
    if (!dialled_name) return context->reply(api::error_response(dialled_name.error()));
    auto ivr = api::optional_string(body, "ivrChoice", 1, 32);
    if (!ivr) return context->reply(api::error_response(ivr.error()));

    calls::Call call;
    call.dialled_number = dialled->has_value() ? services.phones.normalize(**dialled) : "";
    call.dialled_name = dialled_name->value_or("");
    call.ivr_choice = ivr->value_or("");
    call.direction = calls::Direction::inbound;
    call.from = *caller;
    call.to = *extension;
    call.extension = *extension;
    call.sip_call_id = sip_call_id->value_or("");
    // The way the SIP engine admits a call: the caller is looked up, and a slow lookup never delays it.
    auto& telephony = control.telephony();
    directory::admit_inbound_call(telephony.registry, telephony.customers, std::move(call),
                                  std::chrono::milliseconds(800), telephony.io,
                                  [&io = telephony.io, context](calls::Result<calls::Call> created) {
                                      boost::asio::post(io, [context, created = std::move(created)] {
                                          reply_call(context, status::created, created);
                                      });
                                  });
}

void ended(SimulatedCallControl& control, const Context& context, const nlohmann::json& body) {
    auto reason_text = api::required_string(body, "reason", 20);
    if (!reason_text) return context->reply(api::error_response(reason_text.error()));
    const auto reason = calls::parse_end_reason(*reason_text);
    if (!reason || *reason == calls::EndReason::none)
        return context->reply(api::error_response(api::validation_error(
            "reason must be completed, missed, busy, rejected, failed, cancelled or transferred")));
    // As rtpengine's counters would come with the end of an anchored call: {customerToOperator: {packets,
    // lost, jitterMs}, operatorToCustomer: {...}}; the model judges one-way audio itself.
    std::optional<calls::MediaReport> media;
    if (const auto given = body.find("media"); given != body.end() && !given->is_null()) {
        nlohmann::json report = *given;
        if (report.is_object()) report.update({{"oneWay", false}, {"noAudio", false}});
        auto parsed = wire::media_report_from_json(report);
        if (!parsed)
            return context->reply(api::error_response(api::validation_error(
                "media must be {customerToOperator: {packets}, operatorToCustomer: {packets}}")));
        media = std::move(*parsed);
    }
    reply_call(context, status::ok,
               control.telephony().registry.apply(context->params.at("id"),
                                                  calls::transition::Ended{*reason, calls::now_ms(), std::move(media)}));
}

void telephony_state(api::ApiServices& services, SimulatedCallControl& control, const Context& context,
                     const nlohmann::json& body) {
    auto connected = api::optional_bool(body, "connected");
    if (!connected) return context->reply(api::error_response(connected.error()));
    if (!connected->has_value())
        return context->reply(api::error_response(api::validation_error("connected is required")));
    auto registered = api::optional_integer(body, "registeredUsers", 0, 10000);
    if (!registered) return context->reply(api::error_response(registered.error()));
    const bool up = **connected;
    const int users = static_cast<int>(
        registered->value_or(up ? static_cast<std::int64_t>(services.settings.users().size()) : 0));
    const auto status_now = control.set_status(up, users);
    using Kind = calls::TelephonyEvent::Kind;
    services.bus.publish(calls::TelephonyEvent{up ? Kind::connected : Kind::disconnected, status_now, {}});
    context->reply(
        api::json_response(status::ok, {{"success", true}, {"telephony", wire::to_json(status_now)}}));
}

// The recording of an ended call is made: `{status: "ready", durationSeconds, audioBase64}` writes the file
// where the service keeps recordings, `{status: "failed", reason}` does not; the log keeps the result and
// the stream announces it, as the real conversion does.
void recording_made(api::ApiServices& services, const Context& context, const nlohmann::json& body) {
    auto status_text = api::required_string(body, "status", 16);
    if (!status_text) return context->reply(api::error_response(status_text.error()));
    const auto recording_status = calls::parse_recording_status(*status_text);
    if (recording_status != calls::RecordingStatus::ready && recording_status != calls::RecordingStatus::failed)
        return context->reply(api::error_response(api::validation_error("status must be ready or failed")));
    calls::Recording recording{*recording_status, 0, 0, {}, {}};
    const std::string call_id = context->params.at("id");
    if (recording.status == calls::RecordingStatus::failed) {
        auto reason = api::required_string(body, "reason", 500);
        if (!reason) return context->reply(api::error_response(reason.error()));
        recording.reason = *reason;
    } else {
        auto audio = api::required_string(body, "audioBase64", 10'000'000);
        if (!audio) return context->reply(api::error_response(audio.error()));
        const auto file = recordings::recording_file(services.recording_dir, call_id);
        if (!file) return context->reply(api::error_response(api::call_not_found(call_id)));
        std::string bytes(boost::beast::detail::base64::decoded_size(audio->size()), '\0');
        bytes.resize(boost::beast::detail::base64::decode(bytes.data(), audio->data(), audio->size()).first);
        std::filesystem::create_directories(file->parent_path());
        std::ofstream(*file, std::ios::binary | std::ios::trunc) << bytes;
        recording.bytes = bytes.size();
        recording.instance = services.instance_id;
        recording.duration_ms = static_cast<std::int64_t>(body.value("durationSeconds", 0.0) * 1000);
    }
    services.store.post([&services, context, call_id, recording](store::Storage& storage) {
        auto call = storage.set_recording(call_id, recording);
        boost::asio::post(services.io, [&services, context, call = std::move(call)] {
            if (call) services.bus.publish(calls::CallEvent{calls::CallEventKind::updated, call.value(), {}});
            reply_call(context, status::ok, call);
        });
    });
}

}  // namespace

void install_simulator_routes(http::Router& router, api::ApiServices& services,
                              SimulatedCallControl& control) {
    router.add(verb::post, "/_simulator/inbound",
               with_body([&services, &control](const Context& context, const nlohmann::json& body) {
                   inbound(services, control, context, body);
               }));
    install_call_report(router, control, "ringing",
                        [] { return calls::Transition{calls::transition::Ringing{}}; });
    install_call_report(router, control, "answered",
                        [] { return calls::Transition{calls::transition::Answered{calls::now_ms()}}; });
    install_call_report(router, control, "held", [] { return calls::Transition{calls::transition::Held{}}; });
    install_call_report(router, control, "unheld",
                        [] { return calls::Transition{calls::transition::Unheld{}}; });
    install_call_report(router, control, "recording-started",
                        [] { return calls::Transition{calls::transition::RecordingSwitched{true}}; });
    router.add(verb::post, "/_simulator/calls/:id/recording",
               with_body([&services](const Context& context, const nlohmann::json& body) {
                   recording_made(services, context, body);
               }));
    router.add(verb::post, "/_simulator/calls/:id/ended",
               with_body([&control](const Context& context, const nlohmann::json& body) {
                   ended(control, context, body);
               }));
    router.add(verb::post, "/_simulator/telephony",
               with_body([&services, &control](const Context& context, const nlohmann::json& body) {
                   telephony_state(services, control, context, body);
               }));
}

}  // namespace ff::testing
