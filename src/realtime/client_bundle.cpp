// The ETag is a hash of the file rather than the client's version number: same effect, no package.json
// needed.
#include "realtime/client_bundle.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ff::realtime {

namespace beast_http = http::beast_http;

namespace {

constexpr std::string_view prefix = "/socket.io/";

constexpr std::array<std::string_view, 8> bundle_names = {
    "socket.io.js",
    "socket.io.js.map",
    "socket.io.min.js",
    "socket.io.min.js.map",
    "socket.io.esm.min.js",
    "socket.io.esm.min.js.map",
    "socket.io.msgpack.min.js",
    "socket.io.msgpack.min.js.map",
};

std::string content_hash_etag(const std::string& content) {
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (const char c : content) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    char text[32];
    std::snprintf(text, sizeof text, "W/\"%016llx\"", static_cast<unsigned long long>(hash));
    return text;
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    if (!input) return std::nullopt;
    std::ostringstream content;
    content << input.rdbuf();
    if (input.bad()) return std::nullopt;
    return content.str();
}

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

ClientBundle::ClientBundle(const std::string& directory) : directory_(directory) {
    if (directory.empty()) return;
    for (const auto name : bundle_names) {
        auto content = read_file(directory + "/" + std::string(name));
        if (!content) continue;
        File file;
        file.etag = content_hash_etag(*content);
        file.content = std::move(*content);
        file.content_type = ends_with(name, ".map") ? "application/json; charset=utf-8"
                                                    : "application/javascript; charset=utf-8";
        files_.emplace(std::string(name), std::move(file));
    }
    if (files_.empty()) {
        spdlog::warn("realtime: no socket.io client bundle in {}: /socket.io/socket.io.js answers 404",
                     directory);
    }
}

bool ClientBundle::is_bundle_path(std::string_view path) {
    if (path.substr(0, prefix.size()) != prefix) return false;
    const auto name = path.substr(prefix.size());
    for (const auto candidate : bundle_names) {
        if (name == candidate) return true;
    }
    return false;
}

http::Response ClientBundle::serve(std::string_view path, const http::Request& request) const {
    const auto name = path.substr(std::min(prefix.size(), path.size()));
    const auto found = files_.find(name);
    if (found == files_.end()) {
        const nlohmann::json body = {
            {"success", false},
            {"error", "socket.io client bundle " + std::string(name) + " is not installed"},
            {"code", "NOT_FOUND"}};
        http::Response response{beast_http::status::not_found, request.version()};
        response.set(beast_http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = body.dump();
        response.prepare_payload();
        return response;
    }
    const File& file = found->second;
    http::Response response{beast_http::status::ok, request.version()};
    response.set(beast_http::field::cache_control, "public, max-age=0");
    response.set(beast_http::field::etag, file.etag);
    response.keep_alive(request.keep_alive());
    if (request[beast_http::field::if_none_match] == file.etag) {
        response.result(beast_http::status::not_modified);
        return response;
    }
    response.set(beast_http::field::content_type, file.content_type);
    response.body() = file.content;
    response.prepare_payload();
    return response;
}

}  // namespace ff::realtime
