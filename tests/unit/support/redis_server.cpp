// Readiness is asked of the server itself (PING) rather than guessed with a pause.
#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "cluster/redis_client.hpp"

namespace ff::testing {
namespace {

int free_port() {
    const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (socket_fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    close(socket_fd);
    return port;
}

}  // namespace

RedisServer::RedisServer() : port_(free_port()) {}

RedisServer::~RedisServer() { stop(); }

calls::Status RedisServer::start() {
    if (process_ > 0) return calls::Done{};
    const std::string log = (directory_.path() / "redis.log").string();
    std::vector<std::string> arguments{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--dir", directory_.path().string()};
    process_ = fork();
    if (process_ < 0) return calls::make_error(calls::ErrorCode::unavailable, "Redis test server: fork failed");
    if (process_ == 0) {
        const int output = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (output >= 0) {
            dup2(output, 1);
            dup2(output, 2);
        }
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
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

void RedisServer::stop() {
    if (process_ <= 0) return;
    kill(process_, SIGTERM);
    int status = 0;
    waitpid(process_, &status, 0);
    process_ = -1;
}

}  // namespace ff::testing
