// Where recordings live on disk: rtpengine's captures of a call (its "pcap" method writes them under
// <RECORDING_DIR>/captures), the call's finished file beside them, and their removal once too old.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ff::recordings {

// What rtpengine left for one call: its capture files (pcaps/<call id>-<hex>.pcap) and the metadata files it
// writes beside them (metadata/rtpengine-meta-<call id>-<hex>.txt, and tmp/ while the call is up).
struct CallCaptures {
    std::vector<std::filesystem::path> captures;
    std::vector<std::filesystem::path> metadata;
};

// The directory rtpengine records into: <recording_dir>/captures.
std::filesystem::path captures_dir(const std::filesystem::path& recording_dir);

// The capture files of `call_id` (the service's call id, which is rtpengine's call-id) under `captures`.
CallCaptures find_captures(const std::filesystem::path& captures, const std::string& call_id);

// Removes the files; what cannot be removed is returned (the caller logs it).
std::vector<std::filesystem::path> remove_captures(const CallCaptures& files);

// The call's recording: <recording_dir>/<call id>.ogg. nullopt for an id that is not a call id the service
// makes (a UUID), so that no request can name a file elsewhere.
std::optional<std::filesystem::path> recording_file(const std::filesystem::path& recording_dir,
                                                    const std::string& call_id);

// Deletes the recordings (<recording_dir>/*.ogg) last written more than `days` days before `now`; returns
// how many. Captures are not touched: they belong to calls still up.
std::size_t remove_old_recordings(const std::filesystem::path& recording_dir, int days,
                                  std::filesystem::file_time_type now);

}  // namespace ff::recordings
