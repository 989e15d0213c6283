// Where the pages are when WEB_DIR is not set: beside the installed binary, or in its build's checkout.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ff::config {

// A folder is taken for the pages only when it holds this file (a stray empty web/ is passed over).
inline constexpr std::string_view web_dir_marker = "index.html";

struct WebDirSearch {
    std::optional<std::filesystem::path> found;    // the first place holding web_dir_marker
    std::vector<std::filesystem::path> looked_in;  // every place tried, in order, the found one last
};

// The places tried for a binary at `executable`, in order: <bin>/../share/pjsip-service/web (installed:
// /usr/bin -> /usr/share/pjsip-service/web), then web/ in the binary's own folder and in each folder above
// it up to / (a checkout: <checkout>/build/release/src/pjsip-service -> <checkout>/web).
std::vector<std::filesystem::path> web_dir_candidates(const std::filesystem::path& executable);

// Tries web_dir_candidates(executable) in order and stops at the first that holds web_dir_marker.
WebDirSearch find_web_dir(const std::filesystem::path& executable);

// The running binary's own path, from /proc/self/exe (links resolved); nullopt when it cannot be read.
std::optional<std::filesystem::path> running_executable();

}  // namespace ff::config
