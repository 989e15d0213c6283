// Feeds: a message from another instance through Redis (event, control request, control reply, shared call
// entry). Asserts: whatever a decoder accepts, encoded, decodes and encodes to the same message (talk time
// aside); an encoded event message begins with its origin's prefix, by which an instance skips its own; a call
// event encoded with its shared entry gives the same two texts as the separate encoders.
#include "cluster/cluster_messages.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "call_without_clock.hpp"
#include "fuzz_check.hpp"

using namespace ff::cluster;

namespace {

std::string encode(const EventMessage& message) {
    switch (message.type) {
        case EventMessage::Type::call:
            return encode_call_event(message.origin, message.call_event);
        case EventMessage::Type::line:
            return encode_line(message.origin, message.line);
        case EventMessage::Type::resync:
            return encode_resync(message.origin);
        case EventMessage::Type::settings:
            return encode_settings_saved(message.origin);
        case EventMessage::Type::operator_choice:
            return encode_operator_choice(message.origin, message.choice);
    }
    return {};
}

// The message as JSON without the talk times of its call, which an active call's encoding takes from the clock.
nlohmann::json timeless(const std::string& text) {
    auto json = nlohmann::json::parse(text);
    if (json.contains("call")) json["call"] = call_without_clock(json["call"]);
    return json;
}

// Encode, decode, encode: the two texts must be the same message.
template <class Decoded, class Decode, class Encode>
void check_round_trip(const Decoded& decoded, Decode decode, Encode encode_again) {
    const std::string text = encode_again(decoded);
    const auto again = decode(text);
    FUZZ_CHECK(again);
    FUZZ_CHECK(timeless(encode_again(again.value())) == timeless(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (const auto event = decode_event(text)) {
        check_round_trip(event.value(), decode_event, encode);
        FUZZ_CHECK(encode(event.value()).starts_with(origin_prefix(event->origin)));
        if (event->type == EventMessage::Type::call) {  // the call encoded once for the message and the entry
            const auto both = encode_call_event_with_entry(event->origin, event->call_event);
            FUZZ_CHECK(timeless(both.event) == timeless(encode(event.value())));
            FUZZ_CHECK(both.owned_call.empty() == !event->call_event.call.is_active());
            if (!both.owned_call.empty())
                FUZZ_CHECK(timeless(both.owned_call) ==
                           timeless(encode_owned_call(event->origin, event->call_event.call)));
        }
    }
    if (const auto control = decode_control(text))
        check_round_trip(control.value(), decode_control, encode_control);
    if (const auto reply = decode_reply(text)) check_round_trip(reply.value(), decode_reply, encode_reply);
    if (const auto owned = decode_owned_call(text)) {
        check_round_trip(owned.value(), decode_owned_call,
                         [](const OwnedCall& call) { return encode_owned_call(call.owner, call.call); });
    }
    return 0;
}
