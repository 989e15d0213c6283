// Feeds: what one Socket.IO client sends over polling, one step a line: "P<body>" a POST (Engine.IO packets,
// the Socket.IO ones inside), "G" a GET; the first line is the handshake's bearer token. Asserts: every
// answer the client gets is a polling payload whose messages are Socket.IO packets that decode; a socket is
// counted connected only with a known token and never after its session closed.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "realtime/socketio_server.hpp"

using namespace ff::realtime;

namespace {

// What the engine server does for a session: hands its messages and its end to the Socket.IO layer.
struct Forward final : SessionListener {
    SocketIoServer* server = nullptr;
    void on_message(EngineSession& session, std::string_view data) override {
        server->on_message(session, data);
    }
    void on_closed(EngineSession& session, std::string_view reason) override {
        server->on_close(session, reason);
    }
};

std::optional<ff::auth::Principal> authenticate(std::string_view token) {
    if (token == "operator-token")
        return ff::auth::Principal{"t1", "Anna", ff::auth::Role::operator_, "1001"};
    if (token == "supervisor-token") return ff::auth::Principal{"t2", "Boss", ff::auth::Role::supervisor, ""};
    return std::nullopt;
}

void check_answer(const std::string& payload) {
    const auto packets = decode_payload(payload);
    FUZZ_CHECK(packets);
    for (const auto& packet : packets.value()) {
        if (packet.type == EnginePacketType::message) FUZZ_CHECK(decode_socket_packet(packet.data));
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);  // every refused client is logged
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const bool token_given = input.find("operator-token") != std::string_view::npos ||
                             input.find("supervisor-token") != std::string_view::npos;
    const auto first_end = input.find('\n');
    HandshakeInfo handshake;
    handshake.bearer_token = std::string(input.substr(0, first_end));
    handshake.remote_address = "127.0.0.1";
    input = first_end == std::string_view::npos ? std::string_view{} : input.substr(first_end + 1);

    boost::asio::io_context io;
    ff::calls::Call call;
    call.id = "c1";
    call.extension = "1001";
    SocketIoSources sources{authenticate, [call] { return std::vector{call}; },
                            [] { return ff::calls::TelephonyStatus{}; }, nullptr};
    SocketIoServer server(io.get_executor(), sources);
    Forward forward;
    forward.server = &server;
    SessionOptions options;
    options.max_queued_frames = 64;
    auto session = std::make_shared<EngineSession>(io.get_executor(), "fuzz-sid", options, forward);
    session->start(make_frame(EnginePacketType::open, R"({"sid":"fuzz-sid"})"));
    server.on_open(session, handshake);

    while (!input.empty()) {
        const auto end = input.find('\n');
        const std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (line.starts_with('G')) {
            (void)session->on_poll([](std::string payload) { check_answer(payload); });
        } else if (line.starts_with('P')) {
            (void)session->on_post(line.substr(1));
        }
        io.poll();
        FUZZ_CHECK(server.connected_count() <= 1);
        if (server.connected_count() == 1) FUZZ_CHECK(token_given && !session->is_closed());
    }
    session->close("end of input");
    io.poll();
    FUZZ_CHECK(server.connected_count() == 0);
    return 0;
}
