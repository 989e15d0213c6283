// A throwaway Redis server for the cluster tests, on a free 127.0.0.1 port; stopped and started at will.
#pragma once

#include <string>
#include <sys/types.h>

#include "calls/result.hpp"
#include "config/redis_url.hpp"
#include "support/temp_dir.hpp"

namespace ff::testing {

// Debian's redis-server as a child process (no persistence), so a test can stop it and bring it back empty
// on the same port. If it cannot start, start() says why and the test fails with it.
class RedisServer {
  public:
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    calls::Status start();  // returns once the server answers PING
    void stop();            // SIGTERM, waits for the process
    // SIGSTOP and SIGCONT: a server that stops reading, as a hung one does, and comes back.
    void freeze();
    void thaw();

    config::RedisEndpoint endpoint() const { return {"127.0.0.1", static_cast<std::uint16_t>(port_), "", "", 0}; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  private:
    TempDir directory_;
    int port_ = 0;
    pid_t process_ = -1;
};

}  // namespace ff::testing
