// Paths are checked segment by segment and then again after resolving links, so nothing outside WEB_DIR
// leaks.
#include "api/static_files.hpp"

#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace ff::api {
namespace {

namespace fs = std::filesystem;

bool is_safe_segment(std::string_view segment) {
    if (segment.empty() || segment.front() == '.') return false;  // "..", ".", hidden files
    return segment.find_first_of(std::string_view("\\\0:", 3)) == std::string_view::npos;
}

bool is_inside(const fs::path& root, const fs::path& file) {
    const auto relative = file.lexically_relative(root);
    return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::optional<fs::path> resolve_static_path(const fs::path& web_dir, std::string_view url_path) {
    if (url_path.empty() || url_path.front() != '/') return std::nullopt;
    std::error_code error;
    const fs::path root = fs::canonical(web_dir, error);
    if (error) return std::nullopt;
    fs::path candidate = root;
    std::size_t start = 1;
    while (start <= url_path.size()) {
        const auto slash = url_path.find('/', start);
        const auto end = slash == std::string_view::npos ? url_path.size() : slash;
        const std::string_view segment = url_path.substr(start, end - start);
        if (!segment.empty()) {
            if (!is_safe_segment(segment)) return std::nullopt;
            candidate /= std::string(segment);
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (fs::is_directory(candidate, error)) candidate /= "index.html";
    const fs::path real = fs::canonical(candidate, error);  // follows links: check where they lead
    if (error || !is_inside(root, real) || !fs::is_regular_file(real, error)) return std::nullopt;
    return real;
}

std::string_view content_type_for(const fs::path& file) {
    static const std::pair<std::string_view, std::string_view> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".wav", "audio/wav"},
        {".mp3", "audio/mpeg"},
    };
    const std::string extension = file.extension().string();
    for (const auto& [suffix, type] : types) {
        if (extension == suffix) return type;
    }
    return "application/octet-stream";
}

std::optional<http::Response> serve_static(const fs::path& web_dir, std::string_view url_path,
                                           bool head_only) {
    const auto file = resolve_static_path(web_dir, url_path);
    if (!file) return std::nullopt;
    std::ifstream input(*file, std::ios::binary);
    if (!input) return std::nullopt;
    std::ostringstream content;
    content << input.rdbuf();
    http::Response response{http::beast_http::status::ok, 11};
    response.set(http::beast_http::field::content_type, std::string(content_type_for(*file)));
    // Pages change with each release; make the browser ask again rather than run an old console.
    response.set(http::beast_http::field::cache_control, "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    const std::string body = content.str();
    if (head_only) {
        response.content_length(body.size());
    } else {
        response.body() = body;
        response.prepare_payload();
    }
    return response;
}

}  // namespace ff::api
