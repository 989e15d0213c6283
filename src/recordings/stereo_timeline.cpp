// Places each chunk by its SSRC's first arrival plus its RTP timestamp's distance from that SSRC's first.
#include "recordings/stereo_timeline.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace ff::recordings {
namespace {

struct Anchor {
    std::int64_t first_sample = 0;  // on the timeline
    std::uint32_t first_timestamp = 0;
};

// Sample offsets on the timeline, one per chunk; `start_us` is the timeline's zero.
std::vector<std::int64_t> places(const std::vector<VoiceChunk>& chunks, std::int64_t start_us, int sample_rate) {
    std::map<std::uint32_t, Anchor> anchors;
    std::vector<std::int64_t> offsets;
    offsets.reserve(chunks.size());
    for (const VoiceChunk& chunk : chunks) {
        const std::int64_t arrived = (chunk.captured_at_us - start_us) * sample_rate / 1'000'000;
        auto [anchor, fresh] = anchors.try_emplace(chunk.ssrc, Anchor{arrived, chunk.timestamp});
        // Wrapping subtraction as a signed distance: packets a little out of order land before the first.
        const auto distance = static_cast<std::int32_t>(chunk.timestamp - anchor->second.first_timestamp);
        std::int64_t offset = anchor->second.first_sample + distance;
        // A timestamp that jumps far from the arrival (a sender's restart, or a hostile one) starts anew where
        // it arrived, so that no timestamp can stretch the file beyond the capture.
        if (!fresh && (offset < arrived - sample_rate || offset > arrived + sample_rate)) {
            anchor->second = Anchor{arrived, chunk.timestamp};
            offset = arrived;
        }
        offsets.push_back(std::max<std::int64_t>(0, offset));
    }
    return offsets;
}

void lay(std::vector<std::int16_t>& stereo, const std::vector<VoiceChunk>& chunks,
         const std::vector<std::int64_t>& offsets, std::size_t channel) {
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const auto first = static_cast<std::size_t>(offsets[i]);
        for (std::size_t s = 0; s < chunks[i].samples.size(); ++s) {
            stereo[(first + s) * 2 + channel] = chunks[i].samples[s];
        }
    }
}

std::int64_t end_of(const std::vector<VoiceChunk>& chunks, const std::vector<std::int64_t>& offsets) {
    std::int64_t end = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        end = std::max(end, offsets[i] + static_cast<std::int64_t>(chunks[i].samples.size()));
    }
    return end;
}

}  // namespace

std::vector<std::int16_t> interleave_voices(const std::vector<VoiceChunk>& left, const std::vector<VoiceChunk>& right,
                                            int sample_rate) {
    std::int64_t start_us = std::numeric_limits<std::int64_t>::max();
    for (const auto* side : {&left, &right}) {
        for (const VoiceChunk& chunk : *side) start_us = std::min(start_us, chunk.captured_at_us);
    }
    if (start_us == std::numeric_limits<std::int64_t>::max()) return {};
    const auto left_offsets = places(left, start_us, sample_rate);
    const auto right_offsets = places(right, start_us, sample_rate);
    const std::int64_t frames = std::max(end_of(left, left_offsets), end_of(right, right_offsets));
    std::vector<std::int16_t> stereo(static_cast<std::size_t>(frames) * 2, 0);
    lay(stereo, left, left_offsets, 0);
    lay(stereo, right, right_offsets, 1);
    return stereo;
}

}  // namespace ff::recordings
