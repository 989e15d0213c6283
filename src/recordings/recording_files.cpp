#include "recordings/recording_files.hpp"

#include <system_error>

namespace ff::recordings {
namespace {

namespace fs = std::filesystem;

bool is_call_id(const std::string& id) {
    if (id.size() != 36) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (c == '-')) return false;
        if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

// Files in `dir` whose name starts with `prefix` (a missing directory has none).
void collect(const fs::path& dir, const std::string& prefix, std::vector<fs::path>& out) {
    std::error_code error;
    for (fs::directory_iterator entry(dir, error), end; !error && entry != end; entry.increment(error)) {
        if (entry->path().filename().string().starts_with(prefix)) out.push_back(entry->path());
    }
}

}  // namespace

fs::path captures_dir(const fs::path& recording_dir) {
    return recording_dir / "captures";
}

CallCaptures find_captures(const fs::path& captures, const std::string& call_id) {
    CallCaptures found;
    if (!is_call_id(call_id)) return found;
    collect(captures / "pcaps", call_id + "-", found.captures);
    collect(captures / "metadata", "rtpengine-meta-" + call_id + "-", found.metadata);
    collect(captures / "tmp", "rtpengine-meta-" + call_id + "-", found.metadata);
    return found;
}

std::vector<fs::path> remove_captures(const CallCaptures& files) {
    std::vector<fs::path> kept;
    for (const auto* list : {&files.captures, &files.metadata}) {
        for (const auto& file : *list) {
            std::error_code error;
            fs::remove(file, error);
            if (error) kept.push_back(file);
        }
    }
    return kept;
}

std::optional<fs::path> recording_file(const fs::path& recording_dir, const std::string& call_id) {
    if (!is_call_id(call_id)) return std::nullopt;
    return recording_dir / (call_id + ".ogg");
}

std::size_t remove_old_recordings(const fs::path& recording_dir, int days, fs::file_time_type now) {
    if (days <= 0) return 0;
    const auto oldest = now - std::chrono::hours(24) * days;
    std::size_t removed = 0;
    std::error_code error;
    for (fs::directory_iterator entry(recording_dir, error), end; !error && entry != end; entry.increment(error)) {
        if (!entry->is_regular_file() || entry->path().extension() != ".ogg") continue;
        std::error_code time_error;
        const auto written = entry->last_write_time(time_error);
        if (time_error || written >= oldest) continue;
        std::error_code remove_error;
        if (fs::remove(entry->path(), remove_error)) ++removed;
    }
    return removed;
}

}  // namespace ff::recordings
