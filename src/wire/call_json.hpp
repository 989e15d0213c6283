// JSON form of calls and telephony status, shared by the REST API, the Socket.IO stream and the call log.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "calls/telephony_status.hpp"

namespace ff::wire {

// "2025-11-08T12:00:00.000Z"
std::string format_time(calls::TimePoint time);
std::optional<calls::TimePoint> parse_time(const std::string& text);

// The call as FoodFlow's frontend reads it: the seed's fields (id, from, to, status, direction, startTime)
// plus answerTime, endTime, duration (talk seconds), endReason, extension, customer, orders, notes,
// operators, offeredTo (the members a queue's ringall rings for it, else empty), consultation (an attended
// transfer under way, else null), media (null unless rtpengine anchored the call) and recording (null unless
// it was recorded).
nlohmann::json to_json(const calls::Call& call);
nlohmann::json to_json(const calls::Customer& customer);
// {customerToOperator: {packets, lost, jitterMs}, operatorToCustomer: {...}, oneWay, noAudio}; lost and
// jitterMs are null when the phones sent no RTCP.
nlohmann::json to_json(const calls::MediaReport& media);
// {status, url, durationSeconds, bytes, reason, instance}: url, durationSeconds and bytes once the file is
// ready (null before), reason once it failed, instance when several instances share Redis (the one that keeps
// the file). `call_id` names the call in the url.
nlohmann::json to_json(const calls::Recording& recording, const std::string& call_id);
// [{kind, phone, text, at, status, detail}]
nlohmann::json to_json(const std::vector<calls::SmsMessage>& sms);
// The recording's address in the API, which serves its file.
std::string recording_url(const std::string& call_id);
nlohmann::json to_json(const calls::LineState& line);
nlohmann::json to_json(const calls::TelephonyStatus& status);

}  // namespace ff::wire
