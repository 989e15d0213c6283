// Messages come from other processes: every field is checked and a damaged message is refused, never trusted.
#include "cluster/cluster_messages.hpp"

#include <array>
#include <boost/beast/core/detail/base64.hpp>
#include <optional>
#include <string_view>
#include <nlohmann/json.hpp>
#include <utility>

#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"

namespace ff::cluster {
namespace {

using nlohmann::json;

constexpr std::array call_kinds{calls::CallEventKind::created,     calls::CallEventKind::ringing,
                                calls::CallEventKind::answered,    calls::CallEventKind::held,
                                calls::CallEventKind::unheld,      calls::CallEventKind::transferred,
                                calls::CallEventKind::ended,       calls::CallEventKind::updated};

constexpr std::array<std::pair<ControlRequest::Action, const char*>, 14> action_names{{
    {ControlRequest::Action::answer, "answer"},
    {ControlRequest::Action::hangup, "hangup"},
    {ControlRequest::Action::hold, "hold"},
    {ControlRequest::Action::unhold, "unhold"},
    {ControlRequest::Action::transfer, "transfer"},
    {ControlRequest::Action::consult, "consult"},
    {ControlRequest::Action::complete_transfer, "complete-transfer"},
    {ControlRequest::Action::cancel_transfer, "cancel-transfer"},
    {ControlRequest::Action::dial, "dial"},
    {ControlRequest::Action::link, "link"},
    {ControlRequest::Action::media, "media"},
    {ControlRequest::Action::record_start, "record-start"},
    {ControlRequest::Action::record_stop, "record-stop"},
    {ControlRequest::Action::recording, "recording"},
}};

constexpr std::array<std::pair<calls::CallLink::Kind, const char*>, 3> link_kinds{{
    {calls::CallLink::Kind::customer, "customer"},
    {calls::CallLink::Kind::order, "order"},
    {calls::CallLink::Kind::note, "note"},
}};

constexpr std::array<std::pair<calls::ErrorCode, const char*>, 9> error_names{{
    {calls::ErrorCode::timeout, "timeout"},
    {calls::ErrorCode::unreachable, "unreachable"},
    {calls::ErrorCode::invalid_argument, "invalid_argument"},
    {calls::ErrorCode::not_found, "not_found"},
    {calls::ErrorCode::invalid_state, "invalid_state"},
    {calls::ErrorCode::forbidden, "forbidden"},
    {calls::ErrorCode::conflict, "conflict"},
    {calls::ErrorCode::unavailable, "unavailable"},
    {calls::ErrorCode::internal, "internal"},
}};

// The name of `value` in a (value, name) table, and back.
template <class Table, class Value>
const char* name_in(const Table& table, Value value, const char* otherwise) {
    for (const auto& [known, name] : table)
        if (known == value) return name;
    return otherwise;
}

template <class Table>
std::optional<typename Table::value_type::first_type> value_in(const Table& table, const std::string& name) {
    for (const auto& [value, known] : table)
        if (name == known) return value;
    return std::nullopt;
}

calls::Error damaged(const std::string& what) {
    return calls::make_error(calls::ErrorCode::invalid_argument, "cluster message: " + what);
}

std::optional<json> parse_object(const std::string& text) {
    auto parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    return parsed;
}

std::string string_field(const json& object, const char* field) {
    const auto found = object.find(field);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

// Only what the link's kind uses is written.
json link_json(const calls::CallLink& link) {
    json object{{"kind", name_in(link_kinds, link.kind, "")}};
    switch (link.kind) {
        case calls::CallLink::Kind::customer:
            object["customer"] = {{"id", link.customer.id}, {"name", link.customer.name}, {"phone", link.customer.phone}};
            break;
        case calls::CallLink::Kind::order:
            object["orderId"] = link.order_id;
            break;
        case calls::CallLink::Kind::note:
            object["text"] = link.text;
            object["author"] = link.author;
            break;
    }
    return object;
}

// A link that would change nothing (no customer id, order id or note text) is damaged, not applied.
calls::Result<calls::CallLink> link_from(const json& object) {
    if (!object.is_object()) return damaged("a link request without its link");
    const std::string kind = string_field(object, "kind");
    const auto known = value_in(link_kinds, kind);
    if (!known) return damaged("unknown link kind \"" + kind + "\"");
    calls::CallLink link;
    link.kind = *known;
    switch (link.kind) {
        case calls::CallLink::Kind::customer: {
            const json customer = object.value("customer", json::object());
            if (!customer.is_object()) return damaged("a customer link without its customer");
            link.customer = {string_field(customer, "id"), string_field(customer, "name"), string_field(customer, "phone")};
            if (link.customer.id.empty()) return damaged("a customer link without a customer id");
            break;
        }
        case calls::CallLink::Kind::order:
            link.order_id = string_field(object, "orderId");
            if (link.order_id.empty()) return damaged("an order link without an order id");
            break;
        case calls::CallLink::Kind::note:
            link.text = string_field(object, "text");
            link.author = string_field(object, "author");
            if (link.text.empty()) return damaged("a note without text");
            break;
    }
    return link;
}

// {"origin": ..., then the other fields (never none: every message has a type).
std::string with_origin_first(const std::string& origin, const json& fields) {
    return origin_prefix(origin) + fields.dump().substr(1);
}

}  // namespace

std::string origin_prefix(const std::string& origin) { return R"({"origin":)" + json(origin).dump() + ","; }

namespace {

// The messages that carry a call put its JSON, encoded once, in place.
std::string call_event_around(const std::string& origin, const calls::CallEvent& event, const std::string& call_text) {
    return origin_prefix(origin) + R"("type":"call","event":)" + json(calls::event_name(event.kind)).dump() +
           R"(,"call":)" + call_text + R"(,"previousExtension":)" + json(event.previous_extension).dump() + "}";
}

std::string owned_call_around(const std::string& owner, const std::string& call_text) {
    return R"({"owner":)" + json(owner).dump() + R"(,"call":)" + call_text + "}";
}

}  // namespace

std::string encode_call_event(const std::string& origin, const calls::CallEvent& event) {
    return call_event_around(origin, event, wire::to_json(event.call).dump());
}

EncodedCallEvent encode_call_event_with_entry(const std::string& origin, const calls::CallEvent& event) {
    const std::string call_text = wire::to_json(event.call).dump();
    EncodedCallEvent encoded;
    if (event.call.is_active()) encoded.owned_call = owned_call_around(origin, call_text);
    encoded.event = call_event_around(origin, event, call_text);
    return encoded;
}

std::string encode_line(const std::string& origin, const calls::LineState& line) {
    return with_origin_first(origin, {{"type", "line"}, {"line", wire::to_json(line)}});
}

std::string encode_resync(const std::string& origin) { return with_origin_first(origin, {{"type", "resync"}}); }

std::string encode_settings_saved(const std::string& origin) {
    return with_origin_first(origin, {{"type", "settings"}});
}

std::string encode_operator_choice(const std::string& origin, const OperatorChoice& choice) {
    return with_origin_first(origin, {{"type", "operator"},
                                      {"extension", choice.extension},
                                      {"state", calls::to_string(choice.state)},
                                      {"reason", choice.reason}});
}

calls::Result<EventMessage> decode_event(const std::string& text) {
    const auto object = parse_object(text);
    if (!object) return damaged("not a JSON object");
    EventMessage message;
    message.origin = string_field(*object, "origin");
    if (message.origin.empty()) return damaged("no origin");
    const std::string type = string_field(*object, "type");
    if (type == "resync" || type == "settings") {
        message.type = type == "resync" ? EventMessage::Type::resync : EventMessage::Type::settings;
        return message;
    }
    if (type == "operator") {
        message.type = EventMessage::Type::operator_choice;
        message.choice.extension = string_field(*object, "extension");
        message.choice.reason = string_field(*object, "reason");
        const auto state = calls::parse_operator_state(string_field(*object, "state"));
        if (message.choice.extension.empty()) return damaged("an operator's choice without an extension");
        if (!state || (*state != calls::OperatorState::available && *state != calls::OperatorState::paused))
            return damaged("an operator's choice is available or paused");
        message.choice.state = *state;
        return message;
    }
    if (type == "line") {
        auto line = wire::line_from_json(object->value("line", json{}));
        if (!line) return damaged(line.error().message);
        message.type = EventMessage::Type::line;
        message.line = std::move(line).value();
        return message;
    }
    if (type != "call") return damaged("unknown type \"" + type + "\"");
    const std::string name = string_field(*object, "event");
    std::optional<calls::CallEventKind> kind;
    for (const auto candidate : call_kinds)
        if (calls::event_name(candidate) == name) kind = candidate;
    if (!kind) return damaged("unknown event \"" + name + "\"");
    auto call = wire::call_from_json(object->value("call", json{}));
    if (!call) return damaged(call.error().message);
    message.call_event = calls::CallEvent{*kind, std::move(call).value(), string_field(*object, "previousExtension")};
    return message;
}

std::string control_action_name(ControlRequest::Action action) {
    return name_in(action_names, action, "control");
}

std::string encode_control(const ControlRequest& request) {
    json message{{"request", request.request_id},
                 {"replyTo", request.reply_to},
                 {"action", name_in(action_names, request.action, "")},
                 {"callId", request.call_id},
                 {"target", request.target},
                 {"dial",
                  {{"extension", request.dial.extension},
                   {"destination", request.dial.destination},
                   {"typed", request.dial.typed},
                   {"autoAnswer", request.dial.auto_answer},
                   {"browserPhone", request.dial.browser_phone}}},
                 {"expiresAt", request.expires_at_ms}};
    if (request.action == ControlRequest::Action::link) message["link"] = link_json(request.link);
    return message.dump();
}

calls::Result<ControlRequest> decode_control(const std::string& text) {
    const auto object = parse_object(text);
    if (!object) return damaged("not a JSON object");
    ControlRequest request;
    request.request_id = string_field(*object, "request");
    request.reply_to = string_field(*object, "replyTo");
    if (request.request_id.empty() || request.reply_to.empty()) return damaged("no request id or reply address");
    const std::string action = string_field(*object, "action");
    const auto known = value_in(action_names, action);
    if (!known) return damaged("unknown action \"" + action + "\"");
    request.action = *known;
    request.call_id = string_field(*object, "callId");
    if (const auto expires = object->find("expiresAt"); expires != object->end() && expires->is_number_integer())
        request.expires_at_ms = expires->get<std::int64_t>();
    request.target = string_field(*object, "target");
    const json dial = object->value("dial", json::object());
    if (dial.is_object()) {
        request.dial.extension = string_field(dial, "extension");
        request.dial.destination = string_field(dial, "destination");
        request.dial.typed = string_field(dial, "typed");
        request.dial.browser_phone = string_field(dial, "browserPhone");
        // value() would throw on a field of another type: a damaged message must not end the listening thread.
        const auto auto_answer = dial.find("autoAnswer");
        request.dial.auto_answer =
            auto_answer != dial.end() && auto_answer->is_boolean() && auto_answer->get<bool>();
    }
    if (request.action == ControlRequest::Action::link) {
        if (request.call_id.empty()) return damaged("a link request without a call id");
        auto link = link_from(object->value("link", json{}));
        if (!link) return link.error();
        request.link = std::move(link).value();
    }
    return request;
}

std::string encode_reply(const ControlReply& reply) {
    if (reply.recording) {
        const auto& bytes = *reply.recording;
        std::string body(boost::beast::detail::base64::encoded_size(bytes.body.size()), '\0');
        body.resize(boost::beast::detail::base64::encode(body.data(), bytes.body.data(), bytes.body.size()));
        return json{{"request", reply.request_id},
                    {"recording", {{"status", bytes.status}, {"contentRange", bytes.content_range}, {"body", body}}}}
            .dump();
    }
    if (reply.result) return json{{"request", reply.request_id}, {"call", wire::to_json(reply.result.value())}}.dump();
    const char* code = name_in(error_names, reply.result.error().code, "internal");
    return json{{"request", reply.request_id}, {"error", {{"code", code}, {"message", reply.result.error().message}}}}
        .dump();
}

calls::Result<ControlReply> decode_reply(const std::string& text) {
    const auto object = parse_object(text);
    if (!object) return damaged("not a JSON object");
    ControlReply reply;
    reply.request_id = string_field(*object, "request");
    if (reply.request_id.empty()) return damaged("no request id");
    if (const auto error = object->find("error"); error != object->end() && error->is_object()) {
        const auto code = value_in(error_names, string_field(*error, "code")).value_or(calls::ErrorCode::internal);
        reply.result = calls::make_error(code, string_field(*error, "message"));
        return reply;
    }
    if (const auto recording = object->find("recording"); recording != object->end() && recording->is_object()) {
        const auto status = recording->find("status");
        const std::string body = string_field(*recording, "body");
        if (status == recording->end() || !status->is_number_integer() || status->get<std::int64_t>() < 100 ||
            status->get<std::int64_t>() > 599)
            return damaged("a recording reply without an HTTP status");
        // Room for a last group short of four characters too: Beast's decoded_size() counts whole groups only,
        // and decode() writes the short group's bytes past it.
        calls::RecordingBytes bytes{status->get<int>(), string_field(*recording, "contentRange"),
                                    std::string((body.size() + 3) / 4 * 3, '\0')};
        const auto [written, read] = boost::beast::detail::base64::decode(bytes.body.data(), body.data(), body.size());
        // Beast stops at the padding: what it did not read must be the padding alone.
        const std::string_view rest = std::string_view(body).substr(read);
        if (rest.size() > 2 || rest.find_first_not_of('=') != std::string_view::npos)
            return damaged("a recording reply whose body is not base64");
        bytes.body.resize(written);
        reply.recording = std::move(bytes);
        return reply;
    }
    auto call = wire::call_from_json(object->value("call", json{}));
    if (!call) return damaged(call.error().message);
    reply.result = std::move(call).value();
    return reply;
}

std::string encode_owned_call(const std::string& owner, const calls::Call& call) {
    return owned_call_around(owner, wire::to_json(call).dump());
}

calls::Result<OwnedCall> decode_owned_call(const std::string& text) {
    const auto object = parse_object(text);
    if (!object) return damaged("not a JSON object");
    OwnedCall owned;
    owned.owner = string_field(*object, "owner");
    if (owned.owner.empty()) return damaged("no owner");
    auto call = wire::call_from_json(object->value("call", json{}));
    if (!call) return damaged(call.error().message);
    owned.call = std::move(call).value();
    return owned;
}

}  // namespace ff::cluster
