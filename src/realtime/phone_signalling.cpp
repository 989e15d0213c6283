// A page's phone:* events become BrowserPhones calls; the engine's signals become events on its socket. Every
// acknowledgement is shaped like a REST answer: {success: true, ...} or {success: false, error, code}, the
// error naming what is wrong.
#include "realtime/phone_signalling.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "realtime/engine_session.hpp"
#include "realtime/event_fanout.hpp"

namespace ff::realtime {

using nlohmann::json;

namespace {

json refusal(std::string_view code, std::string message) {
    return json{{"success", false}, {"error", std::move(message)}, {"code", code}};
}

// A string member of the event's argument, or empty with `missing` set to its name.
std::string text_field(const json& argument, const char* name, std::string& missing) {
    if (argument.is_object()) {
        const auto found = argument.find(name);
        if (found != argument.end() && found->is_string() && !found->get_ref<const std::string&>().empty())
            return found->get<std::string>();
    }
    if (missing.empty()) missing = name;
    return {};
}

const char* event_name(calls::PhoneSignal::Kind kind) {
    switch (kind) {
        case calls::PhoneSignal::Kind::incoming:
            return "phone:incoming";
        case calls::PhoneSignal::Kind::sdp:
            return "phone:sdp";
        case calls::PhoneSignal::Kind::ended:
            return "phone:ended";
        case calls::PhoneSignal::Kind::lost:
            return "phone:lost";
    }
    return "phone:lost";
}

json payload(const calls::PhoneSignal& signal) {
    switch (signal.kind) {
        case calls::PhoneSignal::Kind::incoming:
            return json{{"legId", signal.leg},
                        {"callId", signal.call_id.empty() ? json(nullptr) : json(signal.call_id)},
                        {"caller", signal.caller},
                        {"sdp", signal.sdp.empty() ? json(nullptr) : json(signal.sdp)},
                        {"autoAnswer", signal.auto_answer}};
        case calls::PhoneSignal::Kind::sdp:
            return json{{"legId", signal.leg}, {"type", signal.sdp_type}, {"sdp", signal.sdp}};
        case calls::PhoneSignal::Kind::ended:
            return json{{"legId", signal.leg}, {"reason", signal.reason}};
        case calls::PhoneSignal::Kind::lost:
            return json{{"reason", signal.reason}};
    }
    return json::object();
}

}  // namespace

PhoneSignalling::PhoneSignalling(boost::asio::any_io_executor executor, calls::BrowserPhones* phones)
    : executor_(std::move(executor)), phones_(phones) {}

void PhoneSignalling::on_event(const std::shared_ptr<EngineSession>& session, const auth::Principal& principal,
                               std::string_view name, const json& argument, Ack ack) {
    if (name == "phone:attach") return attach(session, principal, argument, std::move(ack));

    const auto device = devices_.find(session.get());
    if (device == devices_.end())
        return ack(refusal("PHONE_NOT_ATTACHED", "this socket is not a phone: emit phone:attach first"));
    if (name == "phone:detach") {
        spdlog::info("browser phone {} of {} turned off", device->second, principal.name);
        phones_->detach(device->second, false);
        sessions_.erase(device->second);
        devices_.erase(device);
        return ack(json{{"success", true}});
    }
    std::string missing;
    const std::string leg = text_field(argument, "legId", missing);
    if (name == "phone:sdp") {
        const std::string sdp = text_field(argument, "sdp", missing);
        if (!missing.empty()) return ack(refusal("VALIDATION_FAILED", missing + " must be a non-empty string"));
        phones_->send_sdp(device->second, leg, sdp);
        return ack(json{{"success", true}});
    }
    if (name == "phone:hangup") {
        if (!missing.empty()) return ack(refusal("VALIDATION_FAILED", missing + " must be a non-empty string"));
        phones_->hang_up(device->second, leg);
        return ack(json{{"success", true}});
    }
    ack(refusal("UNKNOWN_EVENT", std::string("unknown event ") + std::string(name.substr(0, 40))));
}

void PhoneSignalling::attach(const std::shared_ptr<EngineSession>& session, const auth::Principal& principal,
                             const json& argument, Ack ack) {
    if (principal.extension.empty())
        return ack(refusal("FORBIDDEN", "only an operator's token (with an extension) can be a phone"));
    if (phones_ == nullptr)
        return ack(refusal("PHONE_UNAVAILABLE",
                           "the browser phone needs the SIP engine carrying the audio (MEDIA=rtpengine)"));
    if (devices_.contains(session.get()))
        return ack(refusal("PHONE_ATTACHED", "this socket is a phone already"));
    std::string rejoin;
    if (argument.is_object() && argument.contains("deviceId")) {
        if (!argument["deviceId"].is_string())
            return ack(refusal("VALIDATION_FAILED", "deviceId must be a string"));
        rejoin = argument["deviceId"].get<std::string>();
        // A device id that is another open socket's now is not this one's to take. A socket that is closed
        // (a reloaded page's, its end not yet handled) no longer holds it.
        if (const auto taken = sessions_.find(rejoin); taken != sessions_.end()) {
            const auto holder = taken->second.lock();
            if (holder && !holder->is_closed()) rejoin.clear();
        }
    }
    phones_->attach(
        principal.extension, rejoin,
        [this, weak = std::weak_ptr<EngineSession>(session), name = principal.name,
         ack = std::move(ack)](calls::Result<calls::PhoneDevice> attached) mutable {
            boost::asio::post(executor_, [this, weak, name, ack = std::move(ack),
                                          attached = std::move(attached)]() mutable {
                if (!attached) {
                    const bool off = attached.error().code == calls::ErrorCode::unavailable;
                    return ack(refusal(off ? "PHONE_UNAVAILABLE" : "PHONE_REFUSED", attached.error().message));
                }
                const calls::PhoneDevice& device = attached.value();
                auto socket = weak.lock();
                if (!socket || socket->is_closed()) return phones_->detach(device.id, true);
                sessions_[device.id] = socket;
                devices_[socket.get()] = device.id;
                spdlog::info("browser phone {} of {} ({}) on", device.id, name, device.extension);
                ack(json{{"success", true},
                         {"deviceId", device.id},
                         {"extension", device.extension},
                         {"iceServers", device.ice_servers}});
            });
        });
}

void PhoneSignalling::on_gone(EngineSession* session, bool keep_calls) {
    const auto device = devices_.find(session);
    if (device == devices_.end()) return;
    // The device may be a newer socket's by now (the page came back before this one's end was handled): then
    // it stays attached there.
    const auto holder = sessions_.find(device->second);
    if (holder == sessions_.end() || holder->second.lock().get() == session) {
        phones_->detach(device->second, keep_calls);
        sessions_.erase(device->second);
    }
    devices_.erase(device);
}

void PhoneSignalling::deliver(const calls::PhoneSignal& signal) {
    const auto found = sessions_.find(signal.device);
    if (found == sessions_.end()) return;  // the page is away: a rejoining one gets the call again
    if (auto session = found->second.lock())
        session->send(make_event_frame(event_name(signal.kind), payload(signal).dump()));
}

}  // namespace ff::realtime
