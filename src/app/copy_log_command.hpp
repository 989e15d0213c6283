// `pjsip-service copy-log --from <SQLite file>`: a call centre moving up to PostgreSQL takes its SQLite log
// along (calls, tokens, saved settings) into the database DATABASE_URL names.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ff::app {

struct CopyLogCommand {
    std::string from;  // the SQLite log: a path or a sqlite: URL
    bool overwrite_settings = false;
    int batch_size = 500;
    CLI::App* subcommand = nullptr;  // set by add_copy_log_command; parsed() says whether it was asked for
};

// Declares the subcommand and its options on the service's command line.
void add_copy_log_command(CLI::App& cli, CopyLogCommand& command);

// Prints progress on stderr and the counts on stdout, never a secret nor the URL's password; returns the
// exit code: 0 copied, 1 the copy failed or conflicts with the destination, 2 a wrong source or destination.
int run_copy_log_command(const CopyLogCommand& command, const std::string& database_url);

}  // namespace ff::app
