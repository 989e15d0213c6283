// libsndfile reads raw u-law and A-law from memory through its virtual I/O.
#include "recordings/g711.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstring>

namespace ff::recordings {
namespace {

struct MemoryFile {
    const std::vector<unsigned char>& bytes;
    sf_count_t position = 0;
};

MemoryFile& memory(void* user) {
    return *static_cast<MemoryFile*>(user);
}

sf_count_t length_of(void* user) {
    return static_cast<sf_count_t>(memory(user).bytes.size());
}

sf_count_t seek(sf_count_t offset, int whence, void* user) {
    MemoryFile& file = memory(user);
    const sf_count_t size = length_of(user);
    sf_count_t base = whence == SEEK_CUR ? file.position : whence == SEEK_END ? size : 0;
    file.position = std::clamp<sf_count_t>(base + offset, 0, size);
    return file.position;
}

sf_count_t read(void* destination, sf_count_t count, void* user) {
    MemoryFile& file = memory(user);
    const sf_count_t left = length_of(user) - file.position;
    const sf_count_t taken = std::min(count, left);
    if (taken > 0) std::memcpy(destination, file.bytes.data() + file.position, static_cast<std::size_t>(taken));
    file.position += std::max<sf_count_t>(taken, 0);
    return std::max<sf_count_t>(taken, 0);
}

sf_count_t write(const void*, sf_count_t, void*) {
    return 0;
}

sf_count_t tell(void* user) {
    return memory(user).position;
}

}  // namespace

std::optional<std::vector<std::int16_t>> decode_g711(std::uint8_t payload_type,
                                                     const std::vector<unsigned char>& bytes) {
    if (!is_g711(payload_type)) return std::nullopt;
    if (bytes.empty()) return std::vector<std::int16_t>{};
    SF_INFO info{};
    info.samplerate = g711_sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_RAW | (payload_type == payload_pcmu ? SF_FORMAT_ULAW : SF_FORMAT_ALAW);
    SF_VIRTUAL_IO io{length_of, seek, read, write, tell};
    MemoryFile file{bytes};
    SNDFILE* sound = sf_open_virtual(&io, SFM_READ, &info, &file);
    if (sound == nullptr) return std::nullopt;
    std::vector<std::int16_t> samples(bytes.size());
    const sf_count_t got = sf_read_short(sound, samples.data(), static_cast<sf_count_t>(samples.size()));
    sf_close(sound);
    samples.resize(static_cast<std::size_t>(std::max<sf_count_t>(got, 0)));
    return samples;
}

}  // namespace ff::recordings
