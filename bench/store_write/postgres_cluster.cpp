// Runs initdb and pg_ctl as child processes (the tests' support/child_process.hpp) and creates the
// benchmark's database with libpq.
#include "postgres_cluster.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>  // NOLINT: mkdtemp
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/child_process.hpp"

namespace ff::bench {

using testing::free_port;
using testing::run;

namespace {

calls::Error failure(std::string message) {
    return calls::make_error(calls::ErrorCode::unavailable,
                             "PostgreSQL benchmark cluster: " + std::move(message));
}

std::string file_text(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string url(int port, const std::string& database) {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" + database;
}

// As root, every command runs as the "postgres" user.
std::vector<std::string> as_owner(std::vector<std::string> arguments) {
    if (geteuid() != 0) return arguments;
    std::vector<std::string> full = {"runuser", "-u", "postgres", "--"};
    full.insert(full.end(), arguments.begin(), arguments.end());
    return full;
}

}  // namespace

PostgresCluster::~PostgresCluster() {
    stop();
}

calls::Status PostgresCluster::start() {
    const char* configured = std::getenv("FF_POSTGRES_BIN");
    bin_ = configured != nullptr ? configured : "/usr/lib/postgresql/15/bin";
    if (!std::filesystem::exists(bin_ + "/initdb"))
        return failure("no initdb in " + bin_ + " (apt-get install postgresql-15, or set FF_POSTGRES_BIN)");

    std::string pattern = (std::filesystem::temp_directory_path() / "ff-bench-postgres-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return failure("mkdtemp failed");
    directory_ = pattern;
    if (geteuid() == 0) {
        const passwd* user = getpwnam("postgres");
        if (user == nullptr) return failure("running as root needs the \"postgres\" system user");
        if (chown(directory_.c_str(), user->pw_uid, user->pw_gid) != 0)
            return failure("chown of " + directory_);
    }

    const std::string data = directory_ + "/data";
    const std::string log = directory_ + "/setup.log";
    const std::string server_log = directory_ + "/server.log";
    if (run(as_owner(
                {bin_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8"}),
            log) != 0)
        return failure("initdb failed: " + file_text(log));
    // A port can be taken between free_port() and the server's bind: a few tries.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_port();
        const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                                    " -c unix_socket_directories=" + directory_;
        if (run(as_owner({bin_ + "/pg_ctl", "-D", data, "-l", server_log, "-o", options, "-w", "-t", "60",
                          "start"}),
                log) == 0) {
            running_ = true;
            return calls::Done{};
        }
    }
    return failure("pg_ctl start failed: " + file_text(log) + file_text(server_log));
}

calls::Result<std::string> PostgresCluster::create_database(const std::string& name) {
    if (!running_) return failure("not started");
    PGconn* connection = PQconnectdb(url(port_, "postgres").c_str());
    std::string error;
    if (PQstatus(connection) != CONNECTION_OK) {
        error = PQerrorMessage(connection);
    } else {
        PGresult* result = PQexec(connection, ("CREATE DATABASE " + name).c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
        PQclear(result);
    }
    PQfinish(connection);
    if (!error.empty()) return failure("CREATE DATABASE " + name + ": " + error);
    return url(port_, name);
}

void PostgresCluster::stop() {
    if (directory_.empty()) return;
    if (running_)
        run(as_owner({bin_ + "/pg_ctl", "-D", directory_ + "/data", "-m", "fast", "-w", "stop"}),
            "/dev/null");
    running_ = false;
    std::error_code error;
    std::filesystem::remove_all(directory_, error);
    directory_.clear();
}

}  // namespace ff::bench
