// G.711 payloads (PCMU, PCMA) to 16-bit samples, decoded by libsndfile.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ff::recordings {

constexpr std::uint8_t payload_pcmu = 0;
constexpr std::uint8_t payload_pcma = 8;
constexpr int g711_sample_rate = 8000;

inline bool is_g711(std::uint8_t payload_type) {
    return payload_type == payload_pcmu || payload_type == payload_pcma;
}

// One sample per byte; nullopt when libsndfile refuses the data (never for G.711 of any length).
std::optional<std::vector<std::int16_t>> decode_g711(std::uint8_t payload_type, const std::vector<unsigned char>& bytes);

}  // namespace ff::recordings
