// One call snapshot as a line of the call-log spool: every field record_call writes, as JSON.
#pragma once

#include <string>
#include <string_view>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::store {

// A single JSON object without a newline. Times are epoch milliseconds, so a replay writes exactly the
// times the call had. Orders and notes are left out: record_call never writes them.
std::string spool_line(const calls::Call& call);

// The call back from spool_line's text; refuses (naming the field) a line that is cut short or altered.
calls::Result<calls::Call> call_from_spool_line(std::string_view line);

}  // namespace ff::store
