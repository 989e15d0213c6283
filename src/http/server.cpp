// Beast HTTP/1.1 server: a listener and one session per connection, all asynchronous.
#include "http/server.hpp"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <spdlog/spdlog.h>

namespace ff::http {
// Named rather than anonymous: Server::State holds these, and a unity build sees this file as a header.
namespace server_session {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

constexpr auto idle_timeout = std::chrono::seconds(75);  // keep-alive connections with no request
constexpr auto io_timeout = std::chrono::seconds(30);    // a request or response that stalls
constexpr std::size_t header_limit = 16 * 1024;
constexpr auto linger_timeout = std::chrono::seconds(5);  // reading the rest of a refused request
constexpr std::size_t linger_limit = 16 * 1024 * 1024;

Response error_response(beast_http::status status, std::string_view code, const std::string& message,
                        unsigned version) {
    Response response{status, version};
    response.set(beast_http::field::content_type, "application/json");
    response.body() = nlohmann::json{{"success", false}, {"error", message}, {"code", code}}.dump();
    response.keep_alive(false);
    response.prepare_payload();
    return response;
}

// What every session of one server shares; sessions keep it alive even if the Server goes first.
struct Handlers {
    ServerOptions options;
    RequestHandler on_request;
    UpgradeHandler on_upgrade;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<const Handlers> handlers)
        : stream_(std::move(socket)), handlers_(std::move(handlers)) {
        beast::error_code ignored;
        const auto endpoint = stream_.socket().remote_endpoint(ignored);
        peer_.remote_address = ignored ? std::string("unknown") : endpoint.address().to_string();
    }

    void start() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

private:
    void read_header() {
        parser_.emplace();
        parser_->header_limit(header_limit);
        // The real limit depends on the target, known only once the header is in (see on_header);
        // until then the largest value, or the parser's 1 MB default would refuse before we can answer
        // 413. (Not boost::none: Beast 1.74 compares the length with an empty optional as "greater".)
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(idle_timeout);
        beast_http::async_read_header(stream_, buffer_, *parser_,
                                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                                          self->on_header(error);
                                      });
    }

    void on_header(beast::error_code error) {
        if (error) return close_after_error(error);
        const auto target = parser_->get().target();
        body_limit_ = handlers_->options.body_limit(std::string_view(target.data(), target.size()));
        parser_->body_limit(body_limit_);
        // Refuse a declared oversized body before reading it.
        if (parser_->content_length() && *parser_->content_length() > body_limit_) return refuse_too_large();
        stream_.expires_after(io_timeout);
        beast_http::async_read(stream_, buffer_, *parser_,
                               [self = shared_from_this()](beast::error_code read_error, std::size_t) {
                                   self->on_body(read_error);
                               });
    }

    void on_body(beast::error_code error) {
        if (error == beast_http::error::body_limit) return refuse_too_large();
        if (error) return close_after_error(error);
        Request request = parser_->release();
        stream_.expires_never();  // the handler may hold the request (long-polling)
        if (beast::websocket::is_upgrade(request)) {
            handlers_->on_upgrade(std::move(stream_), std::move(request), peer_);
            return;
        }
        keep_alive_ = request.keep_alive();
        version_ = request.version();
        auto answered = std::make_shared<std::atomic<bool>>(false);
        // The reply keeps the session alive while a handler works elsewhere (storage, long-polling).
        Reply reply = [self = shared_from_this(), answered](Response response) {
            if (answered->exchange(true)) return;  // a second answer is a bug upstream; ignore it
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
        };
        handlers_->on_request(std::move(request), peer_, std::move(reply));
    }

    void write(Response response) {
        response.version(version_);
        if (!keep_alive_) response.keep_alive(false);
        response_ = std::make_shared<Response>(std::move(response));
        response_->prepare_payload();
        stream_.expires_after(io_timeout);
        beast_http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
            self->on_written(error);
        });
    }

    void on_written(beast::error_code error) {
        const bool keep = response_ && response_->keep_alive();
        response_.reset();
        if (error) return close_after_error(error);
        if (final_response_sent_) return lingering_close();
        if (!keep) return shutdown();
        read_header();
    }

    void refuse_too_large() {
        send_final(error_response(beast_http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                                  "request body is larger than the limit of " + std::to_string(body_limit_) + " bytes",
                                  parser_->get().version()));
    }

    // Answers a request that cannot go on (too large, malformed) and closes the connection.
    void send_final(Response response) {
        if (final_response_sent_) return shutdown();  // the final answer itself failed: just close
        final_response_sent_ = true;
        keep_alive_ = false;
        version_ = response.version();
        write(std::move(response));
    }

    void close_after_error(beast::error_code error) {
        if (error == beast_http::error::end_of_stream || error == asio::error::eof ||
            error == beast::error::timeout || error == asio::error::operation_aborted ||
            error == asio::error::connection_reset) {
            return shutdown();
        }
        // Malformed HTTP: tell the client what was wrong before closing.
        spdlog::debug("http: bad request from {}: {}", peer_.remote_address, error.message());
        send_final(error_response(beast_http::status::bad_request, "BAD_REQUEST",
                                  "malformed HTTP request: " + error.message(), 11));
    }

    // After refusing a request whose body is still arriving, read and drop the rest (bounded) before
    // closing: closing with unread data makes the kernel send a reset, and the client loses our answer.
    void lingering_close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(linger_timeout);
        discard_rest(0);
    }

    void discard_rest(std::size_t discarded) {
        if (discarded > linger_limit) return shutdown();
        drain_.consume(drain_.size());
        stream_.async_read_some(drain_.prepare(64 * 1024),
                                [self = shared_from_this(), discarded](beast::error_code error, std::size_t bytes) {
                                    if (error) return self->shutdown();
                                    self->discard_rest(discarded + bytes);
                                });
    }

    void shutdown() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
    std::shared_ptr<Response> response_;
    std::shared_ptr<const Handlers> handlers_;
    std::size_t body_limit_ = 0;
    PeerInfo peer_;
    bool keep_alive_ = true;
    bool final_response_sent_ = false;
    beast::flat_buffer drain_;
    unsigned version_ = 11;
};

}  // namespace server_session
using namespace server_session;

struct Server::State : std::enable_shared_from_this<Server::State> {
    State(asio::io_context& io_context, ServerOptions server_options, RequestHandler request_handler,
          UpgradeHandler upgrade_handler)
        : io(io_context),
          handlers(std::make_shared<const Handlers>(
              Handlers{std::move(server_options), std::move(request_handler), std::move(upgrade_handler)})),
          acceptor(asio::make_strand(io_context)) {}

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](beast::error_code error, tcp::socket socket) {
            if (!self->acceptor.is_open()) return;
            if (!error) {
                beast::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                std::make_shared<Session>(std::move(socket), self->handlers)->start();
            } else {
                spdlog::warn("http: accept failed: {}", error.message());
            }
            self->accept();
        });
    }

    asio::io_context& io;
    std::shared_ptr<const Handlers> handlers;
    tcp::acceptor acceptor;
};

Server::Server(asio::io_context& io, ServerOptions options, RequestHandler on_request, UpgradeHandler on_upgrade)
    : state_(std::make_shared<State>(io, std::move(options), std::move(on_request), std::move(on_upgrade))) {}

Server::~Server() { stop(); }

std::string Server::start() {
    beast::error_code error;
    const auto address = asio::ip::make_address(state_->handlers->options.host, error);
    if (error) return "HOST=\"" + state_->handlers->options.host + "\" is not an IP address";
    const tcp::endpoint endpoint{address, state_->handlers->options.port};
    auto& acceptor = state_->acceptor;
    const auto where = state_->handlers->options.host + ":" + std::to_string(state_->handlers->options.port);
    if (acceptor.open(endpoint.protocol(), error); error) return "cannot open a socket for " + where + ": " + error.message();
    acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (acceptor.bind(endpoint, error); error) return "cannot listen on " + where + ": " + error.message();
    if (acceptor.listen(asio::socket_base::max_listen_connections, error); error)
        return "cannot listen on " + where + ": " + error.message();
    state_->accept();
    return {};
}

void Server::stop() {
    asio::post(state_->acceptor.get_executor(), [state = state_] {
        beast::error_code ignored;
        state->acceptor.close(ignored);
    });
}

std::uint16_t Server::port() const {
    beast::error_code error;
    const auto endpoint = state_->acceptor.local_endpoint(error);
    return error ? 0 : endpoint.port();
}

}  // namespace ff::http
