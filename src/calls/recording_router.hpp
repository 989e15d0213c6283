// A recording's file is kept by the instance that recorded the call; with several instances a request that
// reaches another one is answered by that instance, through Redis.
#pragma once

#include <functional>
#include <string>

#include "calls/result.hpp"

namespace ff::calls {

// What the instance keeping a recording serves for one request: the HTTP status (200, 206 or 416), the
// Content-Range when there is one, and the bytes asked for.
struct RecordingBytes {
    int status = 200;
    std::string content_range;
    std::string body;
};

class RecordingRouter {
  public:
    using Completion = std::function<void(Result<RecordingBytes>)>;

    virtual ~RecordingRouter() = default;

    // Asks `instance` for the recording of `call_id` with the Range header `range` (empty: the whole file).
    // `done` gets its bytes or its error (not_found ...), or an error when the instance cannot be reached
    // or does not answer in time. Possibly on another thread.
    virtual void fetch(const std::string& instance, const std::string& call_id, const std::string& range,
                       Completion done) = 0;
};

}  // namespace ff::calls
