// Types shared by the HTTP server, the REST routes and the Socket.IO transport.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <string>

namespace ff::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

// Sends the response to one request. Call it exactly once, from any thread: it hops to the
// connection's own executor. A handler may keep it and answer later (long-polling does).
using Reply = std::function<void(Response)>;

struct PeerInfo {
    std::string remote_address;  // "127.0.0.1"
};

using RequestHandler = std::function<void(Request request, PeerInfo peer, Reply reply)>;

// Called for "Upgrade: websocket" requests: takes over the connection (the request is not answered).
using UpgradeHandler = std::function<void(boost::beast::tcp_stream stream, Request request, PeerInfo peer)>;

}  // namespace ff::http
