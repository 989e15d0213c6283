// Serves socket.io-client's browser bundle at /socket.io/socket.io.js etc., as the Node server does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace ff::realtime {

// Reads the bundle files once (at start-up); serving never touches the disk afterwards.
class ClientBundle {
  public:
    explicit ClientBundle(const std::string& directory);

    // Whether `path` names a bundle file ("/socket.io/socket.io.min.js", ".map" ...), present or not.
    static bool is_bundle_path(std::string_view path);

    // 200 with ETag and Cache-Control, 304 when If-None-Match matches, 404 JSON when the file is absent.
    http::Response serve(std::string_view path, const http::Request& request) const;

    std::size_t file_count() const { return files_.size(); }

  private:
    struct File {
        std::string content;
        std::string etag;
        std::string content_type;
    };
    std::map<std::string, File, std::less<>> files_;  // by file name ("socket.io.js")
    std::string directory_;
};

}  // namespace ff::realtime
