// The ctest fixture's program: `postgres_test_server start|stop <state file>` starts the PostgreSQL server
// the unit tests of one ctest run share, and stops it at the end of the run.
#include <cstdio>
#include <iostream>
#include <string>

#include "support/postgres_server.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: postgres_test_server start|stop <state file>\n";
        return 2;
    }
    const std::string action = argv[1];
    const std::string state_file = argv[2];
    auto& server = ff::testing::PostgresServer::instance();
    if (action == "start") {
        // A server that cannot start is not this fixture's failure: without the state file every test
        // process tries its own server, and the PostgreSQL cases fail there naming the reason.
        std::remove(state_file.c_str());
        if (auto status = server.share(state_file); !status) {
            std::cerr << status.error().message << "\n";
            return 0;
        }
        std::cout << "PostgreSQL test server up; state in " << state_file << "\n";
        return 0;
    }
    if (action == "stop") {
        if (auto status = server.stop_shared(state_file); !status)
            std::cout << status.error().message << "\n";
        return 0;
    }
    std::cerr << "unknown action \"" << action << "\": expected start or stop\n";
    return 2;
}
