// Held-back answers on a real Sofia stack over loopback: a client NUA registers to a server NUA whose
// REGISTERs are answered through DelayedAnswers; the answer comes after the delay, and past the capacity
// the caller answers at once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "sip/phones/registrar_delayed_answers.hpp"

using namespace ff::sip;
using namespace std::chrono;

namespace {

int free_udp_port() {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

struct Loopback {
    su_root_t* root = nullptr;
    nua_t* server = nullptr;
    nua_t* client = nullptr;
    std::string server_url;
    DelayedAnswers* answers = nullptr;
    milliseconds delay{300};
    int answered_at_once = 0;
    std::map<nua_handle_t*, steady_clock::time_point> sent;
    std::map<nua_handle_t*, std::pair<int, milliseconds>> replies;  // status and how long it took
    int shut = 0;

    static void on_server(nua_event_t event, int status, char const*, nua_t* nua, nua_magic_t* magic,
                          nua_handle_t* handle, nua_hmagic_t*, sip_t const*, tagi_t[]) {
        auto* self = static_cast<Loopback*>(magic);
        if (event == nua_r_shutdown && status >= 200) ++self->shut;
        if (event != nua_i_register) return;
        AuthVerdict verdict;
        verdict.status = 403;
        verdict.phrase = "Forbidden";
        if (!self->answers->hold(handle, verdict, self->delay, true)) {
            ++self->answered_at_once;
            nua_respond(handle, 403, "Forbidden", NUTAG_WITH_THIS(nua), TAG_END());
            nua_handle_destroy(handle);
        }
    }

    static void on_client(nua_event_t event, int status, char const*, nua_t*, nua_magic_t* magic,
                          nua_handle_t* handle, nua_hmagic_t*, sip_t const*, tagi_t[]) {
        auto* self = static_cast<Loopback*>(magic);
        if (event == nua_r_shutdown && status >= 200) ++self->shut;
        if (event != nua_r_register || status < 200) return;
        self->replies[handle] = {status,
                                 duration_cast<milliseconds>(steady_clock::now() - self->sent[handle])};
    }

    // UDP only: without a transport NUA also binds TCP on the port, which a connection of another test may hold
    // (a free UDP port says nothing of TCP). A port taken between its choice and the bind is chosen again.
    static std::string udp_url(int port) { return "sip:127.0.0.1:" + std::to_string(port) + ";transport=udp"; }

    bool open() {
        su_init();
        root = su_root_create(this);
        for (int attempt = 0; attempt < 5 && server == nullptr; ++attempt) {
            const int port = free_udp_port();
            server_url = "sip:127.0.0.1:" + std::to_string(port);
            server = nua_create(root, &Loopback::on_server, this, NUTAG_URL(udp_url(port).c_str()),
                                NUTAG_APPL_METHOD("REGISTER"), NUTAG_ALLOW("REGISTER"), TAG_END());
        }
        for (int attempt = 0; attempt < 5 && client == nullptr; ++attempt)
            client = nua_create(root, &Loopback::on_client, this, NUTAG_URL(udp_url(free_udp_port()).c_str()), TAG_END());
        return root != nullptr && server != nullptr && client != nullptr;
    }

    nua_handle_t* register_once() {
        const std::string to = "sip:operator@" + server_url.substr(4);
        nua_handle_t* handle = nua_handle(client, nullptr, SIPTAG_TO_STR(to.c_str()), TAG_END());
        sent[handle] = steady_clock::now();
        nua_register(handle, NUTAG_REGISTRAR(server_url.c_str()), NUTAG_M_USERNAME("phone"), TAG_END());
        return handle;
    }

    void run_until(const std::function<bool()>& done, milliseconds limit = milliseconds(5000)) {
        const auto deadline = steady_clock::now() + limit;
        while (!done() && steady_clock::now() < deadline) su_root_step(root, 20);
    }

    void close() {
        for (auto& [handle, at] : sent) nua_handle_destroy(handle);
        if (server != nullptr) nua_shutdown(server);
        if (client != nullptr) nua_shutdown(client);
        run_until([this] { return shut == 2; });
        if (server != nullptr) nua_destroy(server);
        if (client != nullptr) nua_destroy(client);
        if (root != nullptr) su_root_destroy(root);
        su_deinit();
    }
};

}  // namespace

TEST(SipRegistrarDelayedAnswers, the_answer_comes_after_the_delay_and_the_loop_runs_meanwhile) {
    Loopback loop;
    ASSERT_TRUE(loop.open());
    {
        DelayedAnswers answers(loop.server, loop.root, 10);
        loop.answers = &answers;
        auto* first = loop.register_once();
        loop.run_until([&] { return answers.waiting() == 1; });
        EXPECT_EQ(answers.waiting(), 1u);
        loop.run_until([&] { return loop.replies.count(first) == 1; });
        ASSERT_EQ(loop.replies.count(first), 1u);
        EXPECT_EQ(loop.replies[first].first, 403);
        EXPECT_GE(loop.replies[first].second, milliseconds(280));
        EXPECT_LT(loop.replies[first].second, milliseconds(1500));
        EXPECT_EQ(answers.waiting(), 0u);
        EXPECT_EQ(loop.answered_at_once, 0);
    }
    loop.close();
}

TEST(SipRegistrarDelayedAnswers, past_the_capacity_the_caller_answers_at_once) {
    Loopback loop;
    ASSERT_TRUE(loop.open());
    {
        DelayedAnswers answers(loop.server, loop.root, 1);
        loop.answers = &answers;
        loop.delay = milliseconds(1000);
        auto* held = loop.register_once();
        loop.run_until([&] { return answers.waiting() == 1; });
        auto* overflow = loop.register_once();
        loop.run_until([&] { return loop.replies.count(overflow) == 1; });
        ASSERT_EQ(loop.replies.count(overflow), 1u);
        EXPECT_EQ(loop.replies[overflow].first, 403);
        EXPECT_LT(loop.replies[overflow].second, milliseconds(500));
        EXPECT_EQ(loop.answered_at_once, 1);
        EXPECT_EQ(loop.replies.count(held), 0u);  // still held back
        loop.run_until([&] { return loop.replies.count(held) == 1; });
        ASSERT_EQ(loop.replies.count(held), 1u);
        EXPECT_GE(loop.replies[held].second, milliseconds(980));
    }
    loop.close();
}
