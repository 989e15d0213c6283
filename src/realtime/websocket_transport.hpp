// WebSocket transport: a Boost.Beast WebSocket on the TCP stream the HTTP server handed over.
#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
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

// The realtime strand, by its concrete type: every frame's write and its completion go through it, and a
// socket that names it dispatches without the type-erased executor (and the WebSocket sits on the bare socket,
// not on a stream with timeouts of its own: the WebSocket's timeouts are the ones that count). Together they
// were about a tenth of the service's CPU in a broadcast to 500 clients.
using RealtimeStrand = boost::asio::strand<boost::asio::io_context::executor_type>;
using RealtimeSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, RealtimeStrand>;

// Moves the connection's socket onto the realtime strand, so the WebSocket's own timers and handlers never
// race with the session logic.
calls::Result<RealtimeSocket> rebind_stream(boost::beast::tcp_stream stream, const RealtimeStrand& strand);

// Answers an upgrade request the engine refuses (unknown sid, bad version ...) and closes the connection.
void reject_upgrade(RealtimeSocket socket, http::Response response);

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

    WebSocketConnection(RealtimeSocket socket, WebSocketOptions options, std::string peer);

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
    void set_corked(bool corked);
    void close_when_drained();
    void notify_closed();

    boost::beast::websocket::stream<RealtimeSocket> websocket_;
    WebSocketOptions options_;
    std::string peer_;
    std::optional<http::Request> handshake_request_;
    boost::beast::flat_buffer buffer_;
    std::weak_ptr<EngineSession> session_;

    std::deque<Frame> outbox_;  // the front one is being written while writing_
    bool writing_ = false;
    std::size_t batch_left_ = 0;  // frames of the current batch not yet written (see write_next)
    bool corked_ = false;         // TCP_CORK on while a batch of several frames is written
    bool closing_ = false;
    bool close_started_ = false;
    bool closed_notified_ = false;
    boost::beast::websocket::close_reason close_reason_;
};

}  // namespace ff::realtime
