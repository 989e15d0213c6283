// `pjsip-service copy-log` run as a process, as an administrator would: its output, its exit codes, and a
// password in DATABASE_URL never shown.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/storage.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using ff::testing::TempDir;

namespace {

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string file_text(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Runs the built binary in `dir` with DATABASE_URL set (and no .env there), capturing both streams.
Outcome run_service(const TempDir& dir, const std::string& database_url, std::vector<std::string> arguments) {
    const auto out_path = dir.path() / "stdout";
    const auto err_path = dir.path() / "stderr";
    arguments.insert(arguments.begin(), FF_SERVICE_BINARY);
    const pid_t child = fork();
    if (child == 0) {
        if (chdir(dir.path().c_str()) != 0) _exit(126);
        setenv("DATABASE_URL", database_url.c_str(), 1);
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    Outcome outcome;
    int status = 0;
    if (child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status))
        outcome.exit_code = WEXITSTATUS(status);
    outcome.out = file_text(out_path);
    outcome.err = file_text(err_path);
    return outcome;
}

// The test server trusts every local connection, so a password in the URL is accepted and unused.
std::string with_password(const std::string& url) {
    const std::string user = "postgresql://postgres@";
    return "postgresql://postgres:Pa55-word-never-shown@" + url.substr(user.size());
}

class CopyLogCommand : public ::testing::Test {
  protected:
    void SetUp() override {
        auto source = store::open_storage("sqlite:" + (dir_.path() / "calls.db").string());
        ASSERT_TRUE(source) << source.error().message;
        for (int i = 0; i < 3; ++i) {
            calls::Call call;
            call.id = "call-" + std::to_string(i);
            call.from = "+7999000000" + std::to_string(i);
            call.to = "1001";
            call.extension = "1001";
            call.start_time = calls::now_ms();
            ASSERT_TRUE(source.value()->record_call(call));
            ASSERT_TRUE(source.value()->link_order(call.id, "order-" + std::to_string(i)));
        }
        ASSERT_TRUE(source.value()->add_note("call-0", "перезвонить", "Оператор"));
        ASSERT_TRUE(source.value()->insert_token(
            store::TokenRecord{"token-1", "Admin", "admin", "", std::string(64, 'f'), calls::now_ms(), {}}));
        ASSERT_TRUE(source.value()->save_sip_users({{"op1", "Sip-secret-1", "1001", "Оператор"}}));
        auto url = ff::testing::PostgresServer::instance().fresh_database_url();
        ASSERT_TRUE(url) << url.error().message;
        url_ = with_password(url.value());
    }

    TempDir dir_;
    std::string url_;
};

}  // namespace

TEST_F(CopyLogCommand, copies_then_finds_everything_already_present) {
    const auto first = run_service(dir_, url_, {"copy-log", "--from", "calls.db"});
    EXPECT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out,
              "copied 3 calls (3 orders, 1 notes), 1 tokens, settings: yes; skipped 0 already present\n");
    EXPECT_NE(first.err.find("postgresql://postgres:***@"), std::string::npos) << first.err;

    const auto second = run_service(dir_, url_, {"copy-log", "--from", "sqlite:calls.db"});
    EXPECT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(
        second.out,
        "copied 0 calls (0 orders, 0 notes), 0 tokens, settings: no; skipped 4 already present (3 calls, 1 "
        "tokens, settings)\n");
    for (const auto& text : {first.out, first.err, second.out, second.err}) {
        EXPECT_EQ(text.find("Pa55-word-never-shown"), std::string::npos) << text;
        EXPECT_EQ(text.find("Sip-secret-1"), std::string::npos) << text;
    }
}

TEST_F(CopyLogCommand, a_sqlite_destination_is_refused) {
    const auto refused = run_service(dir_, "sqlite:other.db", {"copy-log", "--from", "calls.db"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("DATABASE_URL must name the PostgreSQL destination"), std::string::npos)
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "other.db"));
}

TEST_F(CopyLogCommand, a_source_that_is_not_our_log_is_refused) {
    std::ofstream(dir_.path() / "notes.txt") << "a text file that is long enough for a header\n";
    const auto refused = run_service(dir_, url_, {"copy-log", "--from", "notes.txt"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("notes.txt is not a SQLite database"), std::string::npos) << refused.err;
    EXPECT_TRUE(refused.out.empty()) << refused.out;

    const auto missing = run_service(dir_, url_, {"copy-log", "--from", "missing.db"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("missing.db does not exist"), std::string::npos) << missing.err;
}
