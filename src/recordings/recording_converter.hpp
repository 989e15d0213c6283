// Turns the capture files rtpengine wrote for one call into the call's stereo recording.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "recordings/recording_writer.hpp"

namespace ff::recordings {

struct RecordingSources {
    std::vector<std::filesystem::path> captures;  // rtpengine's pcap files of the call, in any order
    std::vector<std::uint16_t> customer_ports;    // rtpengine's ports the customer's side sent to
    std::vector<std::uint16_t> operator_ports;    // ... and the operator's side
};

// Customer on the left, operator on the right; audio that is not G.711 is left out (said in the log by the
// caller). The captures are not removed here: the caller does that once the file is safe.
calls::Result<WrittenRecording, std::string> convert_recording(const RecordingSources& sources,
                                                               const std::filesystem::path& output);

}  // namespace ff::recordings
