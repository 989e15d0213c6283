// A recording's file: stereo Ogg Opus written by libsndfile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calls/result.hpp"

namespace ff::recordings {

struct WrittenRecording {
    double duration_seconds = 0;
    std::uintmax_t bytes = 0;
};

// Writes interleaved stereo samples to `file` (replaced if it exists). Opus takes 8, 12, 16, 24 or 48 kHz.
calls::Result<WrittenRecording, std::string> write_stereo_opus(const std::filesystem::path& file,
                                                                const std::vector<std::int16_t>& stereo,
                                                                int sample_rate);

}  // namespace ff::recordings
