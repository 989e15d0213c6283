// A throwaway PostgreSQL 15 server for the storage tests: started on first use on 127.0.0.1, stopped at exit.
#pragma once

#include <string>
#include <vector>

#include "calls/result.hpp"

namespace ff::testing {

// initdb in a temporary directory and pg_ctl start on a free port, as the "postgres" system user when the
// tests run as root (PostgreSQL refuses root). Binaries come from /usr/lib/postgresql/15/bin unless
// FF_POSTGRES_BIN names another directory. If the server cannot start, every call answers the reason,
// so PostgreSQL cases fail with it rather than being skipped.
//
// Under ctest one server serves the whole run: the postgres_server fixture (postgres_test_server_main.cpp)
// starts it and writes where it is to the file FF_TEST_POSTGRES_STATE names; each test process then takes
// its databases there (dropped at its exit) and starts none. Without that file, as when a test binary is
// run by hand, the process starts a server of its own. A shared server is never taken down: suites that do
// (take_down) have "Outage" in their name, which tests/CMakeLists.txt runs without the shared server.
class PostgresServer {
  public:
    static PostgresServer& instance();

    // The fixture's two ends: start a server and write where it is to `state_file`; stop the server a
    // state file names and remove it with its directory.
    calls::Status share(const std::string& state_file);
    calls::Status stop_shared(const std::string& state_file);

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
    bool shared_ = false;               // a server of the ctest run, found through FF_TEST_POSTGRES_STATE
    std::vector<std::string> created_;  // databases this process made on the shared server
    bool adopt_shared();
};

// "postgresql://postgres@127.0.0.1:<port>/<database>"
std::string postgres_url(int port, const std::string& database);

}  // namespace ff::testing
