// Reading back what to_json wrote: calls and line states as other instances publish them, spooled records.
#pragma once

#include <nlohmann/json.hpp>

#include "calls/call.hpp"
#include "calls/result.hpp"
#include "calls/telephony_status.hpp"

namespace ff::wire {

// The call from its API form (wire::to_json). Refuses, naming the field, what to_json could not have written.
calls::Result<calls::Call> call_from_json(const nlohmann::json& json);
// The media report from its API form (wire::to_json), as the call log stores it.
calls::Result<calls::MediaReport> media_report_from_json(const nlohmann::json& json);
// The recording from its API form (wire::to_json), as the call log stores it.
calls::Result<calls::Recording> recording_from_json(const nlohmann::json& json);
// The call's "sms" list (absent or null: none).
calls::Result<std::vector<calls::SmsMessage>> sms_from_json(const nlohmann::json& json);
calls::Result<calls::LineState> line_from_json(const nlohmann::json& json);

}  // namespace ff::wire
