// Two voices laid on one clock: the customer's on the left, the operator's on the right. Pure; no I/O.
#pragma once

#include <cstdint>
#include <vector>

namespace ff::recordings {

// A stretch of one side's audio: decoded samples of one RTP packet.
struct VoiceChunk {
    std::int64_t captured_at_us = 0;
    std::uint32_t ssrc = 0;
    std::uint32_t timestamp = 0;  // RTP timestamp, in samples at the timeline's rate
    std::vector<std::int16_t> samples;
};

// Interleaved stereo samples (left, right, left, ...) from the first chunk of either side to the last. Within
// one SSRC a chunk's place follows its RTP timestamp (steady, unlike arrival times); a new SSRC (a re-INVITE,
// music on hold, another phone after a transfer) starts where it was captured. Gaps are silence.
std::vector<std::int16_t> interleave_voices(const std::vector<VoiceChunk>& left, const std::vector<VoiceChunk>& right,
                                            int sample_rate);

}  // namespace ff::recordings
