// Field names here are the contract with FoodFlow's frontend: change them only together with the README.
#include "wire/call_json.hpp"

#include <cstdio>
#include <ctime>

namespace ff::wire {

using nlohmann::json;

std::string format_time(calls::TimePoint time) {
    const auto millis = time.time_since_epoch().count();
    auto seconds = static_cast<std::time_t>(millis / 1000);
    auto fraction = static_cast<int>(millis % 1000);
    if (fraction < 0) {
        fraction += 1000;
        --seconds;
    }
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, fraction);
    return text;
}

std::optional<calls::TimePoint> parse_time(const std::string& text) {
    std::tm utc{};
    int millis = 0;
    char zone = 0;
    const int fields = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &utc.tm_year, &utc.tm_mon,
                                   &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &millis, &zone);
    if (fields != 8 || zone != 'Z') return std::nullopt;
    // Only what format_time writes: out of range fields would be carried over ("9999-12-31T23:59:60" is in
    // the year 10000, which format_time cannot write in four digits, so the call could not be read back).
    if (utc.tm_year < 0 || utc.tm_mon < 1 || utc.tm_mon > 12 || utc.tm_mday < 1 || utc.tm_mday > 31 ||
        utc.tm_hour < 0 || utc.tm_hour > 23 || utc.tm_min < 0 || utc.tm_min > 59 || utc.tm_sec < 0 ||
        utc.tm_sec > 59 || millis < 0 || millis > 999)
        return std::nullopt;
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    const std::time_t seconds = timegm(&utc);
    return calls::TimePoint{std::chrono::milliseconds{static_cast<std::int64_t>(seconds) * 1000 + millis}};
}

json to_json(const calls::Customer& customer) {
    return json{{"id", customer.id}, {"name", customer.name}, {"phone", customer.phone}};
}

namespace {

json to_json(const calls::MediaFlow& flow) {
    return json{{"packets", flow.packets},
                {"lost", flow.lost ? json(*flow.lost) : json(nullptr)},
                {"jitterMs", flow.jitter_ms ? json(*flow.jitter_ms) : json(nullptr)}};
}

// {target, since, answeredAt}: answeredAt null while the target still rings.
json to_json(const calls::Consultation& consultation) {
    return json{{"target", consultation.target},
                {"since", format_time(consultation.since)},
                {"answeredAt", consultation.answered_at ? json(format_time(*consultation.answered_at)) : json(nullptr)}};
}

}  // namespace

json to_json(const calls::MediaReport& media) {
    return json{{"customerToOperator", to_json(media.customer_to_operator)},
                {"operatorToCustomer", to_json(media.operator_to_customer)},
                {"oneWay", media.one_way},
                {"noAudio", media.no_audio}};
}

std::string recording_url(const std::string& call_id) {
    return "/api/calls/" + call_id + "/recording";
}

json to_json(const calls::Recording& recording, const std::string& call_id) {
    const bool ready = recording.status == calls::RecordingStatus::ready;
    const bool failed = recording.status == calls::RecordingStatus::failed;
    return json{{"status", calls::to_string(recording.status)},
                {"url", ready ? json(recording_url(call_id)) : json(nullptr)},
                {"durationSeconds", ready ? json(static_cast<double>(recording.duration_ms) / 1000.0) : json(nullptr)},
                {"bytes", ready ? json(recording.bytes) : json(nullptr)},
                {"reason", failed ? json(recording.reason) : json(nullptr)},
                {"instance", recording.instance.empty() ? json(nullptr) : json(recording.instance)}};
}

json to_json(const calls::Call& call) {
    json orders = json::array();
    for (const auto& order : call.orders)
        orders.push_back({{"orderId", order.order_id}, {"linkedAt", format_time(order.linked_at)}});
    json notes = json::array();
    for (const auto& note : call.notes)
        notes.push_back({{"id", note.id},
                         {"text", note.text},
                         {"author", note.author},
                         {"createdAt", format_time(note.created_at)}});
    const calls::TimePoint now = call.end_time.value_or(calls::now_ms());
    json operators = json::array();
    for (const auto& turn : call.operators)
        operators.push_back({{"extension", turn.extension},
                             {"from", format_time(turn.from)},
                             {"answeredAt", turn.answered_at ? json(format_time(*turn.answered_at)) : json(nullptr)},
                             {"until", turn.until ? json(format_time(*turn.until)) : json(nullptr)},
                             {"talkSeconds", turn.talk_seconds(now)},
                             {"transferredTo", turn.transferred_to.empty() ? json(nullptr) : json(turn.transferred_to)}});
    const auto end_reason = calls::to_string(call.end_reason);
    return json{
        {"id", call.id},
        {"from", call.from},
        {"to", call.to},
        {"status", calls::to_string(call.status)},
        {"direction", calls::to_string(call.direction)},
        {"startTime", format_time(call.start_time)},
        {"answerTime", call.answer_time ? json(format_time(*call.answer_time)) : json(nullptr)},
        {"endTime", call.end_time ? json(format_time(*call.end_time)) : json(nullptr)},
        {"duration", call.talk_seconds(now)},
        {"endReason", end_reason.empty() ? json(nullptr) : json(end_reason)},
        {"extension", call.extension},
        {"sipCallId", call.sip_call_id},
        {"transferTarget", call.transfer_target.empty() ? json(nullptr) : json(call.transfer_target)},
        {"dialledNumber", call.dialled_number.empty() ? json(nullptr) : json(call.dialled_number)},
        {"dialledName", call.dialled_name.empty() ? json(nullptr) : json(call.dialled_name)},
        {"ivrChoice", call.ivr_choice.empty() ? json(nullptr) : json(call.ivr_choice)},
        {"customer", call.customer ? to_json(*call.customer) : json(nullptr)},
        {"orders", std::move(orders)},
        {"notes", std::move(notes)},
        {"operators", std::move(operators)},
        {"offeredTo", call.offered_to},
        {"consultation", call.consultation ? to_json(*call.consultation) : json(nullptr)},
        {"media", call.media ? to_json(*call.media) : json(nullptr)},
        {"recording", call.recording ? to_json(*call.recording, call.id) : json(nullptr)},
        {"sms", to_json(call.sms)},
    };
}

json to_json(const calls::LineState& line) {
    return json{{"extension", line.extension},         {"username", line.username},
                {"displayName", line.display_name},     {"registered", line.registered},
                {"deviceRegistered", line.device_registered}, {"detail", line.detail}};
}

json to_json(const calls::TelephonyStatus& status) {
    json lines = json::array();
    for (const auto& line : status.lines) lines.push_back(to_json(line));
    return json{{"connected", status.connected}, {"registeredUsers", status.registered_users}, {"lines", lines}};
}

json to_json(const std::vector<calls::SmsMessage>& sms) {
    json list = json::array();
    for (const auto& message : sms)
        list.push_back({{"kind", message.kind},
                        {"phone", message.phone},
                        {"text", message.text},
                        {"at", format_time(message.at)},
                        {"status", message.status},
                        {"detail", message.detail.empty() ? json(nullptr) : json(message.detail)}});
    return list;
}

}  // namespace ff::wire
