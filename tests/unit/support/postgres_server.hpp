// A throwaway PostgreSQL 15 server for the storage tests: started on first use on 127.0.0.1, stopped at exit.
#pragma once

#include <string>

#include "calls/result.hpp"

namespace ff::testing {

// initdb in a temporary directory and pg_ctl start on a free port, as the "postgres" system user when the
// tests run as root (PostgreSQL refuses root). Binaries come from /usr/lib/postgresql/15/bin unless
// FF_POSTGRES_BIN names another directory. If the server cannot start, every call answers the reason,
// so PostgreSQL cases fail with it rather than being skipped.
class PostgresServer {
  public:
    static PostgresServer& instance();

    // A new, empty database on the server, as a postgresql:// URL.
    calls::Result<std::string> fresh_database_url();

    // The server's maintenance database, for tests that look at a database from outside the storage.
    calls::Result<std::string> admin_url();

    // Stops the server and removes its directory (the tests' global environment calls it at exit).
    void stop();

    // Takes the server away (pg_ctl stop -m fast: sessions are cut, as when the database host goes down)
    // and brings it back on the same port with the same data, for tests of an outage.
    calls::Status take_down();
    calls::Status bring_back();

    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

  private:
    PostgresServer() = default;
    calls::Status start_once();
    calls::Status start();
    calls::Status pg_ctl_start();

    bool attempted_ = false;
    calls::Status started_ = calls::Done{};
    std::string directory_;
    std::string bin_;
    int port_ = 0;
    int databases_ = 0;
};

// "postgresql://postgres@127.0.0.1:<port>/<database>"
std::string postgres_url(int port, const std::string& database);

}  // namespace ff::testing
