// Opus at libsndfile's default quality; the stereo is two separate voices, which Opus keeps apart.
#include "recordings/recording_writer.hpp"

#include <sndfile.h>

#include <memory>

namespace ff::recordings {

calls::Result<WrittenRecording, std::string> write_stereo_opus(const std::filesystem::path& file,
                                                                const std::vector<std::int16_t>& stereo,
                                                                int sample_rate) {
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 2;
    info.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
    std::unique_ptr<SNDFILE, decltype(&sf_close)> sound(sf_open(file.c_str(), SFM_WRITE, &info), &sf_close);
    if (!sound) return "cannot write the recording " + file.string() + ": " + sf_strerror(nullptr);
    const auto frames = static_cast<sf_count_t>(stereo.size() / 2);
    if (sf_writef_short(sound.get(), stereo.data(), frames) != frames) {
        std::string reason = sf_strerror(sound.get());
        sound.reset();
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        return "cannot write the recording " + file.string() + ": " + reason;
    }
    sound.reset();  // flushes the last Ogg page
    std::error_code error;
    const auto bytes = std::filesystem::file_size(file, error);
    if (error) return "cannot read the size of the recording " + file.string() + ": " + error.message();
    return WrittenRecording{static_cast<double>(frames) / sample_rate, bytes};
}

}  // namespace ff::recordings
