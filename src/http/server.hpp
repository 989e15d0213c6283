// The HTTP/1.1 server (Boost.Beast) that carries the REST API, the pages and Socket.IO on one port.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace ff::http {

struct ServerOptions {
    std::string host = "0.0.0.0";
    std::uint16_t port = 3009;  // 0 picks a free port (tests)
    // Largest request body accepted for a target; bigger ones get 413 and the connection closes.
    std::function<std::size_t(std::string_view target)> body_limit = [](std::string_view) { return 64 * 1024; };
};

// One session per connection with asynchronous reads and writes on the io_context's threads.
// Keep-alive is honoured; a request is answered only after the previous one (HTTP/1.1 order).
class Server {
public:
    Server(boost::asio::io_context& io, ServerOptions options, RequestHandler on_request, UpgradeHandler on_upgrade);
    ~Server();

    // Binds and starts accepting; the message names the address when it fails (port in use ...).
    std::string start();  // empty string on success
    void stop();          // stops accepting; open connections end on their next read
    std::uint16_t port() const;  // the bound port

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace ff::http
