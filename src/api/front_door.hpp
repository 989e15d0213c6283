// The first handler every HTTP request meets: CORS, Socket.IO hand-off, routing, pages, and errors for the
// rest.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "http/router.hpp"

namespace ff::api {

struct FrontDoorOptions {
    std::vector<std::string> cors_origins;  // CORS_ORIGIN; "*" allows any origin, only when listed
    std::string web_dir;                    // WEB_DIR: pages served without a token
};

// `realtime` receives every request whose path starts with /socket.io/ (the socket authenticates itself).
// Route handlers do their own authentication (install_routes wraps them); the front door answers
// 404/405 JSON, serves pages, adds CORS headers to every response and answers preflights.
http::RequestHandler make_front_door(std::shared_ptr<const http::Router> router, FrontDoorOptions options,
                                     http::RequestHandler realtime);

}  // namespace ff::api
