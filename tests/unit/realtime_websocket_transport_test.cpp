// The WebSocket transport on a real loopback connection: a Beast client reads what the server's connection
// writes. A burst of frames must arrive whole and in order, leave in a few TCP segments rather than one each,
// and not leave the socket corked once written (the kernel would hold the next frame up to 200 ms).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "realtime/websocket_transport.hpp"

using namespace ff;
using namespace ff::realtime;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;

namespace {

struct TcpFigures {
    unsigned segments_out = 0;
    int corked = 0;
};

// glibc's tcp_info stops where Linux 3.x's did; the kernel's goes on (linux/tcp.h, which cannot be included
// beside glibc's header) with these fields, segments sent among them since Linux 4.2.
struct TcpInfoWithSegments {
    tcp_info base;
    std::uint64_t pacing_rate;
    std::uint64_t max_pacing_rate;
    std::uint64_t bytes_acked;
    std::uint64_t bytes_received;
    std::uint32_t segs_out;
    std::uint32_t segs_in;
};

TcpFigures figures_of(int fd) {
    TcpFigures figures;
    TcpInfoWithSegments info{};
    socklen_t size = sizeof info;
    EXPECT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size), 0);
    EXPECT_GE(size, offsetof(TcpInfoWithSegments, segs_in)) << "the kernel does not count segments";
    figures.segments_out = info.segs_out;
    size = sizeof figures.corked;
    EXPECT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_CORK, &figures.corked, &size), 0);
    return figures;
}

// The server's side: accepts one connection, reads its upgrade request as the HTTP server would, and hands
// the socket to a WebSocketConnection on a strand, as the realtime server does.
struct ServerSide {
    boost::asio::io_context io;
    RealtimeStrand strand = boost::asio::make_strand(io);
    tcp::acceptor acceptor{io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
    std::shared_ptr<WebSocketConnection> connection;
    int fd = -1;

    void accept(std::function<void(const std::shared_ptr<WebSocketConnection>&)> on_open) {
        tcp::socket socket = acceptor.accept();
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        http::Request request;
        beast::http::read(stream, buffer, request);
        auto rebound = rebind_stream(std::move(stream), strand);
        ASSERT_TRUE(rebound);
        fd = rebound.value().native_handle();
        connection = std::make_shared<WebSocketConnection>(std::move(rebound).value(), WebSocketOptions{}, "test");
        connection->accept(std::move(request), std::move(on_open));
    }
};

}  // namespace

TEST(WebSocketTransport, a_burst_of_frames_arrives_in_order_in_few_segments_and_uncorked) {
    constexpr int frames = 50;
    ServerSide server;
    const auto port = server.acceptor.local_endpoint().port();

    std::promise<std::vector<std::string>> received;
    std::promise<void> read_all;
    auto read_all_seen = read_all.get_future();
    std::thread client([&] {
        boost::asio::io_context client_io;
        websocket::stream<tcp::socket> socket(client_io);
        socket.next_layer().connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        socket.handshake("127.0.0.1", "/socket.io/?EIO=4&transport=websocket");
        std::vector<std::string> messages;
        beast::flat_buffer buffer;
        while (static_cast<int>(messages.size()) < frames) {
            socket.read(buffer);
            messages.push_back(beast::buffers_to_string(buffer.data()));
            buffer.consume(buffer.size());
        }
        read_all.set_value();
        received.set_value(std::move(messages));
        beast::error_code ignored;
        socket.next_layer().close(ignored);
    });

    TcpFigures before;
    server.accept([&](const std::shared_ptr<WebSocketConnection>& open) {
        before = figures_of(server.fd);
        // All in one go, as a broadcast of several events does: the first leaves at once, the rest queue.
        for (int i = 0; i < frames; ++i)
            open->send(std::make_shared<const std::string>("42[\"n\"," + std::to_string(i) + "]"));
    });
    server.io.run();  // until every frame is written: the connection has nothing else to do
    read_all_seen.wait();
    const TcpFigures after = figures_of(server.fd);
    client.join();

    const auto messages = received.get_future().get();
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i) EXPECT_EQ(messages[i], "42[\"n\"," + std::to_string(i) + "]");
    EXPECT_EQ(after.corked, 0) << "the socket was left corked after the burst";
    // One segment for the first frame, one or two for the batch queued behind it; one each without corking.
    EXPECT_LE(after.segments_out - before.segments_out, 5u);
}
