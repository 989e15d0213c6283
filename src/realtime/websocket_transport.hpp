// WebSocket transport: a Boost.Beast WebSocket on the TCP stream the HTTP server handed over.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "calls/result.hpp"
#include "http/http_types.hpp"
#include "realtime/engine_session.hpp"

namespace ff::realtime {

// Moves the connection's socket onto `executor` (the realtime strand), so the WebSocket's own timers
// and handlers never race with the session logic.
calls::Result<boost::beast::tcp_stream> rebind_stream(boost::beast::tcp_stream stream,
                                                      boost::asio::any_io_executor executor);

// Answers an upgrade request the engine refuses (unknown sid, bad version ...) and closes the connection.
void reject_upgrade(boost::beast::tcp_stream stream, http::Response response);

struct WebSocketOptions {
    std::size_t max_message = 1000000;  // bigger frames close the connection with 1009
    std::size_t max_queued_frames = 10000;
    std::chrono::milliseconds idle_timeout{60000};  // no frame for this long: the peer is gone
};

// All members run on the stream's executor (the realtime strand).
class WebSocketConnection final : public WebSocketChannel,
                                  public std::enable_shared_from_this<WebSocketConnection> {
  public:
    using OnOpen = std::function<void(const std::shared_ptr<WebSocketConnection>&)>;

    WebSocketConnection(boost::beast::tcp_stream stream, WebSocketOptions options, std::string peer);

    // Completes the WebSocket handshake, then calls on_open; a failed handshake just ends.
    void accept(http::Request request, OnOpen on_open);
    // Starts delivering text frames to the session (and its closing).
    void attach(std::weak_ptr<EngineSession> session);

    void send(Frame frame) override;
    void close() override;
    void fail(std::string_view reason) override;

    const std::string& peer() const { return peer_; }

  private:
    void read_next();
    void on_read(boost::system::error_code error);
    void write_next();
    void close_when_drained();
    void notify_closed();

    boost::beast::websocket::stream<boost::beast::tcp_stream> websocket_;
    WebSocketOptions options_;
    std::string peer_;
    std::optional<http::Request> handshake_request_;
    boost::beast::flat_buffer buffer_;
    std::weak_ptr<EngineSession> session_;

    std::deque<Frame> outbox_;  // the front one is being written while writing_
    bool writing_ = false;
    bool closing_ = false;
    bool close_started_ = false;
    bool closed_notified_ = false;
    boost::beast::websocket::close_reason close_reason_;
};

}  // namespace ff::realtime
