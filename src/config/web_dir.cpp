// The pages found from the binary's own location, so that it serves them whatever directory it starts in.
#include "config/web_dir.hpp"

#include <system_error>

namespace ff::config {

namespace fs = std::filesystem;

std::vector<fs::path> web_dir_candidates(const fs::path& executable) {
    std::error_code error;
    fs::path binary = fs::absolute(executable, error);
    if (error) binary = executable;
    const fs::path bin_dir = binary.lexically_normal().parent_path();

    std::vector<fs::path> places;
    places.push_back(bin_dir.parent_path() / "share" / "pjsip-service" / "web");
    for (fs::path dir = bin_dir;; dir = dir.parent_path()) {
        places.push_back(dir / "web");
        if (dir == dir.parent_path()) break;  // the root (or a relative path's last part) has no parent left
    }
    return places;
}

WebDirSearch find_web_dir(const fs::path& executable) {
    WebDirSearch search;
    for (auto& place : web_dir_candidates(executable)) {
        search.looked_in.push_back(place);
        std::error_code error;
        if (fs::is_regular_file(place / web_dir_marker, error)) {
            search.found = std::move(place);
            break;
        }
    }
    return search;
}

std::optional<fs::path> running_executable() {
    std::error_code error;
    auto path = fs::read_symlink("/proc/self/exe", error);
    if (error || path.empty()) return std::nullopt;
    return path;
}

}  // namespace ff::config
