// Runs initdb and pg_ctl as child processes (support/child_process.hpp), and ends the server from a gtest
// global environment.
#include "support/postgres_server.hpp"

#include <gtest/gtest.h>
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

namespace ff::testing {
namespace {

calls::Error failure(std::string message) {
    return calls::make_error(calls::ErrorCode::unavailable, "PostgreSQL test server: " + std::move(message));
}

std::string file_text(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

calls::Status run_sql(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    std::string error;
    if (PQstatus(connection) != CONNECTION_OK) {
        error = PQerrorMessage(connection);
    } else {
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
        PQclear(result);
    }
    PQfinish(connection);
    if (!error.empty()) return failure(sql + ": " + error);
    return calls::Done{};
}

class StopAtExit : public ::testing::Environment {
  public:
    void TearDown() override { PostgresServer::instance().stop(); }
};

[[maybe_unused]] const auto* const stop_at_exit = ::testing::AddGlobalTestEnvironment(new StopAtExit);

}  // namespace

std::string postgres_url(int port, const std::string& database) {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" + database;
}

PostgresServer& PostgresServer::instance() {
    static PostgresServer server;
    return server;
}

calls::Status PostgresServer::start_once() {
    if (!attempted_) {
        attempted_ = true;
        shared_ = adopt_shared();
        if (!shared_) started_ = start();
    }
    return started_;
}

// The state file holds the port, the server's directory and its binaries, one a line. Only the port is
// kept: with no directory this process can neither stop the shared server nor take it down.
bool PostgresServer::adopt_shared() {
    const char* state_file = std::getenv("FF_TEST_POSTGRES_STATE");
    if (state_file == nullptr) return false;
    std::ifstream state(state_file);
    int port = 0;
    if (!(state >> port) || port <= 0) return false;
    port_ = port;
    return true;
}

calls::Status PostgresServer::share(const std::string& state_file) {
    if (auto status = start_once(); !status) return status;
    const std::string written = state_file + ".new";
    {
        std::ofstream state(written, std::ios::trunc);
        state << port_ << "\n" << directory_ << "\n" << bin_ << "\n";
        if (!state) return failure("cannot write " + written);
    }
    // Renamed into place so a test never reads half a file.
    std::error_code error;
    std::filesystem::rename(written, state_file, error);
    if (error) return failure("cannot write " + state_file + ": " + error.message());
    return calls::Done{};
}

calls::Status PostgresServer::stop_shared(const std::string& state_file) {
    std::ifstream state(state_file);
    int port = 0;
    std::string directory;
    std::string bin;
    if (!(state >> port) || !(state >> directory) || !(state >> bin))
        return failure("no server named in " + state_file);
    std::filesystem::remove(state_file);
    attempted_ = true;
    started_ = calls::Done{};
    shared_ = false;
    port_ = port;
    directory_ = directory;
    bin_ = bin;
    stop();
    return calls::Done{};
}

calls::Status PostgresServer::start() {
    const char* configured = std::getenv("FF_POSTGRES_BIN");
    bin_ = configured != nullptr ? configured : "/usr/lib/postgresql/15/bin";
    if (!std::filesystem::exists(bin_ + "/initdb"))
        return failure("no initdb in " + bin_ + " (apt-get install postgresql-15, or set FF_POSTGRES_BIN)");

    std::string pattern = (std::filesystem::temp_directory_path() / "ff-postgres-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return failure("mkdtemp failed");
    directory_ = pattern;

    // PostgreSQL refuses to run as root: then the cluster belongs to the "postgres" user.
    std::vector<std::string> as_user;
    if (geteuid() == 0) {
        const passwd* user = getpwnam("postgres");
        if (user == nullptr)
            return failure(
                "running as root needs the \"postgres\" system user (the postgresql-15 package adds it)");
        if (chown(directory_.c_str(), user->pw_uid, user->pw_gid) != 0)
            return failure("chown of " + directory_);
        as_user = {"runuser", "-u", "postgres", "--"};
    }
    const auto command = [&as_user](std::vector<std::string> arguments) {
        std::vector<std::string> full = as_user;
        full.insert(full.end(), arguments.begin(), arguments.end());
        return full;
    };

    const std::string data = directory_ + "/data";
    const std::string log = directory_ + "/setup.log";
    if (run(command({bin_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync",
                     "--no-locale", "-E", "UTF8"}),
            log) != 0) {
        return failure("initdb failed: " + file_text(log));
    }
    // A port can be taken between free_port() and the server's bind: a few tries.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_port();
        if (pg_ctl_start()) return calls::Done{};
    }
    return failure("pg_ctl start failed: " + file_text(log) + file_text(directory_ + "/server.log"));
}

namespace {

// PostgreSQL refuses to run as root: then its programs run as the "postgres" user.
std::vector<std::string> as_server_user(std::vector<std::string> arguments) {
    if (geteuid() == 0) arguments.insert(arguments.begin(), {"runuser", "-u", "postgres", "--"});
    return arguments;
}

}  // namespace

calls::Status PostgresServer::pg_ctl_start() {
    const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                                " -c unix_socket_directories=" + directory_ + " -c fsync=off";
    if (run(as_server_user({bin_ + "/pg_ctl", "-D", directory_ + "/data", "-l", directory_ + "/server.log",
                            "-o", options, "-w", "-t", "60", "start"}),
            directory_ + "/setup.log") != 0)
        return failure("pg_ctl start failed: " + file_text(directory_ + "/setup.log"));
    return calls::Done{};
}

calls::Status PostgresServer::take_down() {
    if (auto status = start_once(); !status) return status;
    if (run(as_server_user({bin_ + "/pg_ctl", "-D", directory_ + "/data", "-m", "fast", "-w", "stop"}),
            directory_ + "/setup.log") != 0)
        return failure("pg_ctl stop failed: " + file_text(directory_ + "/setup.log"));
    return calls::Done{};
}

calls::Status PostgresServer::bring_back() {
    if (auto status = start_once(); !status) return status;
    return pg_ctl_start();
}

calls::Result<std::string> PostgresServer::admin_url() {
    if (auto status = start_once(); !status) return status.error();
    return postgres_url(port_, "postgres");
}

calls::Result<std::string> PostgresServer::fresh_database_url() {
    if (auto status = start_once(); !status) return status.error();
    // The process id keeps names apart between the test processes sharing one server.
    const std::string name = "ff_test_" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
    if (auto status = run_sql(postgres_url(port_, "postgres"), "CREATE DATABASE " + name); !status)
        return status.error();
    if (shared_) created_.push_back(name);
    return postgres_url(port_, name);
}

void PostgresServer::stop() {
    if (shared_) {
        // The server outlives this process; its databases need not (a run makes hundreds).
        for (const auto& name : created_)
            (void)run_sql(postgres_url(port_, "postgres"),
                          "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        created_.clear();
        return;
    }
    if (!attempted_ || directory_.empty()) return;
    if (started_) {
        std::vector<std::string> arguments = {
            bin_ + "/pg_ctl", "-D", directory_ + "/data", "-m", "immediate", "-w", "stop"};
        if (geteuid() == 0) arguments.insert(arguments.begin(), {"runuser", "-u", "postgres", "--"});
        run(arguments, "/dev/null");
    }
    std::error_code error;
    std::filesystem::remove_all(directory_, error);
    directory_.clear();
}

}  // namespace ff::testing
