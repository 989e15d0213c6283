// Feeds: what a client sends one Engine.IO session, one step a line: "G" a polling GET, "P<body>" a polling
// POST, "U" a WebSocket asking to upgrade, "S<text>" a text frame on that probe WebSocket, "W<text>" one on
// the upgraded WebSocket, "C"/"D" the probe/upgraded WebSocket closing, "E<data>" the server sending a
// message, "O<c>" the WebSocket's own queue overflowing on its 1st to 8th next frame (it then tells the
// session it is gone from inside send, as the real one does). Asserts: the listener hears the close once; nothing reaches a client after it; every poll is
// answered at most once and with a payload that decodes; an upgrade only completes after "2probe".
#include "realtime/engine_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

using namespace ff::realtime;

namespace {

struct Listener final : SessionListener {
    int closes = 0;
    void on_message(EngineSession& session, std::string_view) override { FUZZ_CHECK(!session.is_closed()); }
    void on_closed(EngineSession& session, std::string_view) override {
        FUZZ_CHECK(session.is_closed());
        ++closes;
    }
};

struct Channel final : WebSocketChannel {
    EngineSession* session = nullptr;
    bool ended = false;              // closed or failed by the session, or gone by itself
    bool answered_probe = false;     // "3probe" was sent on it
    int sends_until_overflow = 0;    // 0: never
    void send(Frame frame) override {
        FUZZ_CHECK(!session->is_closed() && !ended);
        FUZZ_CHECK(decode_packet(*frame));
        if (*frame == "3probe") answered_probe = true;
        if (sends_until_overflow > 0 && --sends_until_overflow == 0) {
            ended = true;
            session->on_websocket_closed(this);
        }
    }
    void close() override { ended = true; }
    void fail(std::string_view) override { ended = true; }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);  // every dropped upgrade and refused poll is logged
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    boost::asio::io_context io;
    Listener listener;
    SessionOptions options;
    options.max_queued_frames = 64;
    auto session = std::make_shared<EngineSession>(io.get_executor(), "fuzz-sid", options, listener);
    session->start(make_frame(EnginePacketType::open, R"({"sid":"fuzz-sid"})"));

    int polls_held = 0;
    int overflow_after = 0;  // "O": for the WebSockets there are and those to come
    std::shared_ptr<Channel> probe;
    std::shared_ptr<Channel> upgraded;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    while (!input.empty()) {
        const auto end = input.find('\n');
        const std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (line.empty()) continue;
        const std::string_view rest = line.substr(1);
        const bool was_polling = session->transport() == TransportKind::polling;
        switch (line.front()) {
            case 'G': {
                auto answered = std::make_shared<int>(0);
                ++polls_held;
                const auto status = session->on_poll([answered, &polls_held](std::string payload) {
                    FUZZ_CHECK(++*answered == 1);
                    --polls_held;
                    FUZZ_CHECK(decode_payload(payload));
                });
                if (!status && *answered == 0) --polls_held;  // refused, never to be answered
                break;
            }
            case 'P':
                (void)session->on_post(rest);
                break;
            case 'U':
                probe = std::make_shared<Channel>();
                probe->session = session.get();
                probe->sends_until_overflow = overflow_after;
                if (!session->begin_upgrade(probe)) probe.reset();
                break;
            case 'O':
                overflow_after = rest.empty() ? 1 : static_cast<unsigned char>(rest.front()) % 8 + 1;
                for (const auto& channel : {probe, upgraded})
                    if (channel) channel->sends_until_overflow = overflow_after;
                break;
            case 'S':
                if (probe) {
                    session->on_websocket_text(probe.get(), rest);
                    if (was_polling && session->transport() == TransportKind::websocket) {
                        FUZZ_CHECK(probe->answered_probe);
                        upgraded = probe;
                        probe.reset();
                    }
                }
                break;
            case 'W':
                if (upgraded) session->on_websocket_text(upgraded.get(), rest);
                break;
            case 'C':
                if (probe) session->on_websocket_closed(probe.get());
                break;
            case 'D':
                if (upgraded) session->on_websocket_closed(upgraded.get());
                break;
            case 'E': {
                // The server's frames are JSON text, where a record separator is always escaped.
                std::string message(rest);
                std::erase(message, record_separator);
                session->send(make_frame(EnginePacketType::message, message));
                break;
            }
            default:
                break;
        }
        io.poll();
        FUZZ_CHECK(listener.closes == (session->is_closed() ? 1 : 0));
        FUZZ_CHECK(session->queued_frames() <= options.max_queued_frames);
        if (session->is_closed()) FUZZ_CHECK(polls_held == 0);  // a held poll gets the close packet
    }
    session->close("end of input");
    io.poll();
    FUZZ_CHECK(listener.closes == 1);
    FUZZ_CHECK(polls_held == 0);
    return 0;
}
