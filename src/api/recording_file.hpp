// A recording's bytes as one request asks for them (HTTP Range), read from the directory of recordings: what
// GET /api/calls/:callId/recording serves here, and what this instance answers another one that received it.
#pragma once

#include <string>
#include <string_view>

#include "calls/recording_router.hpp"

namespace ff::api {

// not_found when the call's file is not there (never recorded here, or deleted by retention).
calls::Result<calls::RecordingBytes> read_recording_bytes(const std::string& recording_dir, const std::string& call_id,
                                                          std::string_view range_header);

}  // namespace ff::api
