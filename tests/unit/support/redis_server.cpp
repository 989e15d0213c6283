// Readiness is asked of the server itself (PING) rather than guessed with a pause.
#include "support/redis_server.hpp"

#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "cluster/redis_client.hpp"
#include "support/child_process.hpp"

namespace ff::testing {

RedisServer::RedisServer() : port_(free_port()) {}

RedisServer::~RedisServer() { stop(); }

calls::Status RedisServer::start() {
    if (process_ > 0) return calls::Done{};
    const std::string log = (directory_.path() / "redis.log").string();
    std::vector<std::string> arguments{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--dir", directory_.path().string()};
    process_ = start_in_background(std::move(arguments), log);
    if (process_ < 0) return calls::make_error(calls::ErrorCode::unavailable, "Redis test server: fork failed");
    for (int attempt = 0; attempt < 100; ++attempt) {
        int status = 0;
        if (waitpid(process_, &status, WNOHANG) == process_) {
            process_ = -1;
            return calls::make_error(calls::ErrorCode::unavailable,
                                     "Redis test server exited at start (is redis-server installed?); see " + log);
        }
        if (auto client = cluster::RedisClient::connect(endpoint(), std::chrono::milliseconds(200))) {
            if (client.value()->command({"PING"})) return calls::Done{};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server is still starting
    }
    stop();
    return calls::make_error(calls::ErrorCode::unavailable, "Redis test server did not answer PING within 5 s");
}

void RedisServer::freeze() {
    if (process_ > 0) kill(process_, SIGSTOP);
}

void RedisServer::thaw() {
    if (process_ > 0) kill(process_, SIGCONT);
}

void RedisServer::stop() {
    if (process_ <= 0) return;
    kill(process_, SIGCONT);  // a frozen server must run to end
    kill(process_, SIGTERM);
    int status = 0;
    waitpid(process_, &status, 0);
    process_ = -1;
}

}  // namespace ff::testing
