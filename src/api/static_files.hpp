// The pages the service serves from WEB_DIR: settings page, operator console and their assets.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace ff::api {

// The file a URL path names inside `web_dir`, or nullopt when the path tries to leave it (".."),
// names a hidden file, or does not exist. "/" and directories mean their index.html.
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& web_dir,
                                                         std::string_view url_path);

std::string_view content_type_for(const std::filesystem::path& file);

// 200 with the file (no body for HEAD), or nullopt when there is no such page.
std::optional<http::Response> serve_static(const std::filesystem::path& web_dir, std::string_view url_path,
                                           bool head_only);

}  // namespace ff::api
