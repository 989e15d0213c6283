// Every field is checked: the text comes from another process (Redis, a file on disk) and may be damaged.
#include "wire/call_from_json.hpp"

#include <cmath>

#include "wire/call_json.hpp"

namespace ff::wire {
namespace {

using nlohmann::json;

calls::Error bad_field(const char* field) {
    return calls::make_error(calls::ErrorCode::invalid_argument, std::string("call JSON: ") + field +
                                                                     " is missing or has the wrong type");
}

bool read_string(const json& object, const char* field, std::string& out) {
    const auto found = object.find(field);
    if (found == object.end() || !found->is_string()) return false;
    out = found->get<std::string>();
    return true;
}

// A string field that may be null; empty stays empty.
bool read_optional_string(const json& object, const char* field, std::string& out) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) return true;
    if (!found->is_string()) return false;
    out = found->get<std::string>();
    return true;
}

bool read_time(const json& object, const char* field, calls::TimePoint& out) {
    std::string text;
    if (!read_string(object, field, text)) return false;
    const auto time = parse_time(text);
    if (!time) return false;
    out = *time;
    return true;
}

bool read_optional_time(const json& object, const char* field, std::optional<calls::TimePoint>& out) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) return true;
    calls::TimePoint time;
    if (!read_time(object, field, time)) return false;
    out = time;
    return true;
}

bool read_bool(const json& object, const char* field, bool& out) {
    const auto found = object.find(field);
    if (found == object.end() || !found->is_boolean()) return false;
    out = found->get<bool>();
    return true;
}

bool read_customer(const json& object, std::optional<calls::Customer>& out) {
    const auto found = object.find("customer");
    if (found == object.end() || found->is_null()) return true;
    if (!found->is_object()) return false;
    calls::Customer customer;
    if (!read_string(*found, "id", customer.id) || !read_string(*found, "name", customer.name) ||
        !read_string(*found, "phone", customer.phone))
        return false;
    out = std::move(customer);
    return true;
}

bool read_orders(const json& object, std::vector<calls::OrderLink>& out) {
    const auto found = object.find("orders");
    if (found == object.end()) return true;
    if (!found->is_array()) return false;
    for (const auto& item : *found) {
        calls::OrderLink order;
        if (!item.is_object() || !read_string(item, "orderId", order.order_id) ||
            !read_time(item, "linkedAt", order.linked_at))
            return false;
        out.push_back(std::move(order));
    }
    return true;
}

bool read_notes(const json& object, std::vector<calls::Note>& out) {
    const auto found = object.find("notes");
    if (found == object.end()) return true;
    if (!found->is_array()) return false;
    for (const auto& item : *found) {
        calls::Note note;
        const auto id = item.is_object() ? item.find("id") : item.end();
        if (!item.is_object() || id == item.end() || !id->is_number_integer() ||
            !read_string(item, "text", note.text) || !read_string(item, "author", note.author) ||
            !read_time(item, "createdAt", note.created_at))
            return false;
        note.id = id->get<std::int64_t>();
        out.push_back(std::move(note));
    }
    return true;
}

// The members a queue rings for the call at once; absent in a call JSON of an older version.
bool read_offered_to(const json& object, std::vector<std::string>& out) {
    const auto found = object.find("offeredTo");
    if (found == object.end() || found->is_null()) return true;
    if (!found->is_array()) return false;
    for (const auto& extension : *found) {
        if (!extension.is_string()) return false;
        out.push_back(extension.get<std::string>());
    }
    return true;
}

// An attended transfer under way; absent in a call JSON of an older version.
bool read_consultation(const json& object, std::optional<calls::Consultation>& out) {
    const auto found = object.find("consultation");
    if (found == object.end() || found->is_null()) return true;
    calls::Consultation consultation;
    if (!found->is_object() || !read_string(*found, "target", consultation.target) ||
        !read_time(*found, "since", consultation.since) ||
        !read_optional_time(*found, "answeredAt", consultation.answered_at))
        return false;
    out = std::move(consultation);
    return true;
}

// The operators who had the call; a call JSON of an older version has none (the model then opens the first
// turn from the call's extension).
bool read_operators(const json& object, std::vector<calls::OperatorTurn>& out) {
    const auto found = object.find("operators");
    if (found == object.end()) return true;
    if (!found->is_array()) return false;
    for (const auto& item : *found) {
        calls::OperatorTurn turn;
        if (!item.is_object() || !read_string(item, "extension", turn.extension) ||
            !read_time(item, "from", turn.from) || !read_optional_time(item, "answeredAt", turn.answered_at) ||
            !read_optional_time(item, "until", turn.until) ||
            !read_optional_string(item, "transferredTo", turn.transferred_to))
            return false;
        out.push_back(std::move(turn));
    }
    return true;
}

bool read_flow(const json& object, const char* field, calls::MediaFlow& out) {
    const auto found = object.find(field);
    if (found == object.end() || !found->is_object()) return false;
    const auto packets = found->find("packets");
    const auto lost = found->find("lost");
    const auto jitter = found->find("jitterMs");
    if (packets == found->end() || !packets->is_number_unsigned()) return false;
    out.packets = packets->get<std::uint64_t>();
    if (lost != found->end() && !lost->is_null()) {
        if (!lost->is_number_unsigned()) return false;
        out.lost = lost->get<std::uint64_t>();
    }
    if (jitter != found->end() && !jitter->is_null()) {
        if (!jitter->is_number() || !std::isfinite(jitter->get<double>()) || jitter->get<double>() < 0) return false;
        out.jitter_ms = jitter->get<double>();
    }
    return true;
}

bool read_media(const json& object, std::optional<calls::MediaReport>& out) {
    const auto found = object.find("media");
    if (found == object.end() || found->is_null()) return true;
    auto media = media_report_from_json(*found);
    if (!media) return false;
    out = std::move(*media);
    return true;
}

bool read_recording(const json& object, std::optional<calls::Recording>& out) {
    const auto found = object.find("recording");
    if (found == object.end() || found->is_null()) return true;
    auto recording = recording_from_json(*found);
    if (!recording) return false;
    out = std::move(*recording);
    return true;
}

}  // namespace

calls::Result<calls::Recording> recording_from_json(const json& object) {
    const auto malformed = [] {
        return calls::make_error(calls::ErrorCode::invalid_argument, "call JSON: recording is malformed");
    };
    std::string status_text;
    if (!object.is_object() || !read_string(object, "status", status_text)) return malformed();
    const auto status = calls::parse_recording_status(status_text);
    if (!status) return malformed();
    calls::Recording recording{*status, 0, 0, {}, {}};
    if (*status == calls::RecordingStatus::ready) {
        const auto duration = object.find("durationSeconds");
        const auto bytes = object.find("bytes");
        if (duration == object.end() || !duration->is_number() || !std::isfinite(duration->get<double>()) ||
            duration->get<double>() < 0 || duration->get<double>() > 1e9 || bytes == object.end() ||
            !bytes->is_number_unsigned())
            return malformed();
        recording.duration_ms = std::llround(duration->get<double>() * 1000.0);
        recording.bytes = bytes->get<std::uint64_t>();
    }
    if (*status == calls::RecordingStatus::failed && !read_string(object, "reason", recording.reason))
        return malformed();
    if (!read_optional_string(object, "instance", recording.instance)) return malformed();
    return recording;
}

calls::Result<std::vector<calls::SmsMessage>> sms_from_json(const json& list) {
    std::vector<calls::SmsMessage> sms;
    if (list.is_null()) return sms;
    const auto malformed = [] { return calls::make_error(calls::ErrorCode::invalid_argument, "call JSON: sms is malformed"); };
    if (!list.is_array()) return malformed();
    for (const auto& item : list) {
        calls::SmsMessage message;
        if (!item.is_object() || !read_string(item, "kind", message.kind) || !read_string(item, "phone", message.phone) ||
            !read_string(item, "text", message.text) || !read_time(item, "at", message.at) ||
            !read_string(item, "status", message.status) || !read_optional_string(item, "detail", message.detail))
            return malformed();
        sms.push_back(std::move(message));
    }
    return sms;
}

calls::Result<calls::MediaReport> media_report_from_json(const json& object) {
    calls::MediaReport media;
    if (!object.is_object() || !read_flow(object, "customerToOperator", media.customer_to_operator) ||
        !read_flow(object, "operatorToCustomer", media.operator_to_customer) ||
        !read_bool(object, "oneWay", media.one_way) || !read_bool(object, "noAudio", media.no_audio))
        return calls::make_error(calls::ErrorCode::invalid_argument, "call JSON: media is malformed");
    return media;
}

calls::Result<calls::Call> call_from_json(const json& object) {
    if (!object.is_object())
        return calls::make_error(calls::ErrorCode::invalid_argument, "call JSON: not an object");
    calls::Call call;
    std::string text;
    if (!read_string(object, "id", call.id) || call.id.empty()) return bad_field("id");
    if (!read_string(object, "from", call.from)) return bad_field("from");
    if (!read_string(object, "to", call.to)) return bad_field("to");
    if (!read_string(object, "extension", call.extension)) return bad_field("extension");
    if (!read_optional_string(object, "sipCallId", call.sip_call_id)) return bad_field("sipCallId");
    if (!read_optional_string(object, "transferTarget", call.transfer_target)) return bad_field("transferTarget");
    if (!read_optional_string(object, "dialledNumber", call.dialled_number)) return bad_field("dialledNumber");
    if (!read_optional_string(object, "dialledName", call.dialled_name)) return bad_field("dialledName");
    if (!read_optional_string(object, "ivrChoice", call.ivr_choice)) return bad_field("ivrChoice");

    const auto status = read_string(object, "status", text) ? calls::parse_call_status(text) : std::nullopt;
    if (!status) return bad_field("status");
    call.status = *status;
    const auto direction = read_string(object, "direction", text) ? calls::parse_direction(text) : std::nullopt;
    if (!direction) return bad_field("direction");
    call.direction = *direction;
    text.clear();
    if (!read_optional_string(object, "endReason", text)) return bad_field("endReason");
    const auto reason = text.empty() ? std::optional(calls::EndReason::none) : calls::parse_end_reason(text);
    if (!reason) return bad_field("endReason");
    call.end_reason = *reason;

    if (!read_time(object, "startTime", call.start_time)) return bad_field("startTime");
    if (!read_optional_time(object, "answerTime", call.answer_time)) return bad_field("answerTime");
    if (!read_optional_time(object, "endTime", call.end_time)) return bad_field("endTime");
    if (!read_customer(object, call.customer)) return bad_field("customer");
    if (!read_orders(object, call.orders)) return bad_field("orders");
    if (!read_notes(object, call.notes)) return bad_field("notes");
    if (!read_operators(object, call.operators)) return bad_field("operators");
    if (!read_offered_to(object, call.offered_to)) return bad_field("offeredTo");
    if (!read_consultation(object, call.consultation)) return bad_field("consultation");
    if (!read_media(object, call.media)) return bad_field("media");
    if (!read_recording(object, call.recording)) return bad_field("recording");
    if (const auto sms = object.find("sms"); sms != object.end()) {
        auto read = sms_from_json(*sms);
        if (!read) return bad_field("sms");
        call.sms = std::move(*read);
    }
    return call;
}

calls::Result<calls::LineState> line_from_json(const json& object) {
    calls::LineState line;
    if (!object.is_object() || !read_string(object, "extension", line.extension) ||
        !read_string(object, "username", line.username) || !read_string(object, "displayName", line.display_name) ||
        !read_bool(object, "registered", line.registered) ||
        !read_bool(object, "deviceRegistered", line.device_registered) || !read_string(object, "detail", line.detail))
        return calls::make_error(calls::ErrorCode::invalid_argument, "line JSON: a field is missing or wrong");
    return line;
}

}  // namespace ff::wire
