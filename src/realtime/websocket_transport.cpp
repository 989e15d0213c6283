// One read always pending, writes one at a time from a queue of shared frames (Beast allows one of each).
#include "realtime/websocket_transport.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>

namespace ff::realtime {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;

calls::Result<RealtimeSocket> rebind_stream(beast::tcp_stream stream, const RealtimeStrand& strand) {
    boost::system::error_code error;
    tcp::socket old_socket = stream.release_socket();
    const auto endpoint = old_socket.local_endpoint(error);
    if (error)
        return calls::make_error(calls::ErrorCode::internal, "connection already closed: " + error.message());
    const auto handle = old_socket.release(error);
    if (error)
        return calls::make_error(calls::ErrorCode::internal,
                                 "cannot take over the socket: " + error.message());
    RealtimeSocket socket(strand);
    socket.assign(endpoint.protocol(), handle, error);
    if (error)
        return calls::make_error(calls::ErrorCode::internal,
                                 "cannot take over the socket: " + error.message());
    return socket;
}

void reject_upgrade(RealtimeSocket socket, http::Response response) {
    struct Rejection {
        beast::basic_stream<tcp, RealtimeStrand> stream;  // with a timeout: a peer that never reads is dropped
        http::Response response;
    };
    auto rejection = std::make_shared<Rejection>(
        Rejection{beast::basic_stream<tcp, RealtimeStrand>(std::move(socket)), std::move(response)});
    rejection->response.keep_alive(false);
    rejection->stream.expires_after(std::chrono::seconds(10));
    http::beast_http::async_write(
        rejection->stream, rejection->response, [rejection](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            rejection->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            rejection->stream.close();
        });
}

WebSocketConnection::WebSocketConnection(RealtimeSocket socket, WebSocketOptions options, std::string peer)
    : websocket_(std::move(socket)), options_(options), peer_(std::move(peer)) {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);  // also bounds the closing handshake
    timeouts.idle_timeout = options_.idle_timeout;
    timeouts.keep_alive_pings = false;  // Engine.IO pings are the keep-alive
    websocket_.set_option(timeouts);
    websocket_.read_message_max(options_.max_message);
    websocket_.text(true);
}

void WebSocketConnection::accept(http::Request request, OnOpen on_open) {
    handshake_request_ = std::move(request);
    websocket_.async_accept(*handshake_request_, [self = shared_from_this(), on_open = std::move(on_open)](
                                                     boost::system::error_code error) {
        self->handshake_request_.reset();
        if (error) {
            spdlog::info("realtime: websocket handshake with {} failed: {}", self->peer_, error.message());
            return;
        }
        on_open(self);
    });
}

void WebSocketConnection::attach(std::weak_ptr<EngineSession> session) {
    session_ = std::move(session);
    read_next();
}

void WebSocketConnection::read_next() {
    websocket_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code error, std::size_t) {
        self->on_read(error);
    });
}

void WebSocketConnection::on_read(boost::system::error_code error) {
    if (error) {
        if (error != websocket::error::closed && error != boost::asio::error::operation_aborted) {
            spdlog::info("realtime: websocket from {} ended: {}", peer_, error.message());
        }
        notify_closed();
        return;
    }
    if (!websocket_.got_text()) {
        buffer_.consume(buffer_.size());
        spdlog::warn("realtime: websocket from {} closed: binary frames are not supported", peer_);
        fail("binary frames are not supported");
        notify_closed();
        return;
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (auto session = session_.lock()) session->on_websocket_text(this, text);
    if (!closed_notified_) read_next();  // keep reading while closing: the peer's close frame ends it
}

void WebSocketConnection::notify_closed() {
    if (closed_notified_) return;
    closed_notified_ = true;
    closing_ = true;
    outbox_.clear();
    if (auto session = session_.lock()) session->on_websocket_closed(this);
}

void WebSocketConnection::send(Frame frame) {
    if (closing_) return;
    if (outbox_.size() >= options_.max_queued_frames) {
        spdlog::warn("realtime: websocket to {} closed: {} frames waiting, the client does not read", peer_,
                     outbox_.size());
        fail("send buffer overflow");
        notify_closed();
        return;
    }
    outbox_.push_back(std::move(frame));
    if (!writing_) write_next();
}

void WebSocketConnection::write_next() {
    if (outbox_.empty()) {
        batch_left_ = 0;  // frames dropped by fail() end their batch too
        set_corked(false);
        close_when_drained();
        return;
    }
    // Frames waiting behind each other (a server that fell behind, an event following another at once) are
    // written one by one, as Beast writes messages, but leave in as few TCP segments as they fill: the socket
    // is corked while the frames queued when the batch began are written, and uncorked after the last. Each
    // segment costs the kernel more than the write that fills it, and wakes the client once: a server that is
    // behind catches up with less work instead of falling further behind. A batch ends, so nothing waits for
    // the kernel's own 200 ms limit even while new frames keep coming.
    if (batch_left_ == 0) {
        batch_left_ = outbox_.size();
        set_corked(batch_left_ > 1);
    }
    writing_ = true;
    const Frame& frame = outbox_.front();
    websocket_.async_write(boost::asio::buffer(*frame),
                           [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                               self->writing_ = false;
                               if (!self->outbox_.empty()) self->outbox_.pop_front();
                               if (error) {
                                   // The read side ends too once the socket is closed; that is where the
                                   // session hears of it.
                                   self->outbox_.clear();
                                   self->closing_ = true;
                                   boost::system::error_code ignored;
                                   beast::get_lowest_layer(self->websocket_).close(ignored);
                                   return;
                               }
                               if (self->batch_left_ > 0 && --self->batch_left_ == 0) self->set_corked(false);
                               self->write_next();
                           });
}

void WebSocketConnection::set_corked(bool corked) {
    if (corked_ == corked) return;
    corked_ = corked;
    // A socket that cannot cork (not TCP, already closed) sends as before: the result changes nothing here.
    const int value = corked ? 1 : 0;
    (void)::setsockopt(beast::get_lowest_layer(websocket_).native_handle(), IPPROTO_TCP, TCP_CORK, &value,
                       sizeof value);
}

void WebSocketConnection::close() {
    if (closing_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(websocket::close_code::normal);
    if (!writing_) close_when_drained();
}

void WebSocketConnection::fail(std::string_view reason) {
    if (closing_) return;
    closing_ = true;
    // Frames not yet started are dropped: the peer broke the protocol.
    if (writing_)
        outbox_.erase(outbox_.begin() + 1, outbox_.end());
    else
        outbox_.clear();
    close_reason_ =
        websocket::close_reason(websocket::close_code::protocol_error, std::string(reason.substr(0, 120)));
    if (!writing_) close_when_drained();
}

void WebSocketConnection::close_when_drained() {
    if (!closing_ || close_started_ || writing_ || !outbox_.empty()) return;
    if (!websocket_.is_open()) return;
    close_started_ = true;
    websocket_.async_close(close_reason_, [self = shared_from_this()](boost::system::error_code) {
        // The pending read completes with "closed" and reports to the session.
    });
}

}  // namespace ff::realtime
