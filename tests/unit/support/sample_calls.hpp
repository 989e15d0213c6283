// Calls as the call log keeps them, for storage tests that need rows and do not care about their story.
#pragma once

#include <string>

#include "calls/call.hpp"

namespace ff::testing {

// A completed inbound call to 1001 with an id and a caller of its own for each `number`.
inline calls::Call numbered_ended_call(int number) {
    calls::Call call;
    call.id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + number);
    call.from = "+7999123" + std::to_string(1000 + number % 9000);
    call.to = "1001";
    call.extension = "1001";
    call.status = calls::CallStatus::ended;
    call.end_reason = calls::EndReason::completed;
    call.start_time = calls::now_ms();
    call.end_time = call.start_time;
    return call;
}

}  // namespace ff::testing
