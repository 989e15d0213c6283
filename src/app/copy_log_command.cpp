// The command checks both ends before reading anything: the source must be a log this service wrote (it is
// never created), and the destination must be PostgreSQL (copying SQLite into SQLite is a file copy).
#include "app/copy_log_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>

#include "config/value_checks.hpp"
#include "store/database_url.hpp"
#include "store/log_copy.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::app {
namespace {

// "sqlite:…" as in DATABASE_URL, or a plain path.
calls::Result<std::string> source_path(const std::string& from) {
    if (from.rfind("sqlite:", 0) != 0) return from;
    auto location = store::parse_database_url(from);
    if (!location) return location.error();
    if (location->in_memory())
        return calls::make_error(calls::ErrorCode::invalid_argument, "--from names an in-memory database");
    return location->path;
}

}  // namespace

void add_copy_log_command(CLI::App& cli, CopyLogCommand& command) {
    command.subcommand = cli.add_subcommand(
        "copy-log",
        "copy a SQLite call log (calls, tokens, saved settings) into the PostgreSQL DATABASE_URL");
    command.subcommand->add_option("--from", command.from, "the SQLite file, e.g. data/calls.db")->required();
    command.subcommand->add_flag(
        "--overwrite-settings", command.overwrite_settings,
        "replace PBX settings and users the destination already has with the source's");
    command.subcommand->add_option("--batch-size", command.batch_size, "calls per destination transaction")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
}

int run_copy_log_command(const CopyLogCommand& command, const std::string& database_url) {
    auto destination_location = store::parse_database_url(database_url);
    if (!destination_location) {
        std::cerr << "copy-log: DATABASE_URL: " << destination_location.error().message << "\n";
        return 2;
    }
    if (destination_location->backend != store::DatabaseLocation::Backend::postgres) {
        std::cerr
            << "copy-log: DATABASE_URL must name the PostgreSQL destination (postgresql://user:password@host/"
               "database); it names a SQLite database\n";
        return 2;
    }
    auto path = source_path(command.from);
    if (!path) {
        std::cerr << "copy-log: --from: " << path.error().message << "\n";
        return 2;
    }
    auto source = store::sqlite::SqliteStorage::open_existing(path.value());
    if (!source) {
        std::cerr << "copy-log: --from: " << source.error().message << "\n";
        return 2;
    }
    const std::string shown_destination = config::mask_url_password(database_url);
    auto destination = store::open_storage(database_url);
    if (!destination) {
        std::cerr << "copy-log: " << shown_destination << ": " << destination.error().message << "\n";
        return 1;
    }
    std::cerr << "copy-log: copying " << path.value() << " into " << shown_destination << "\n";

    const store::LogCopyOptions options{command.batch_size, command.overwrite_settings};
    // A line every 10,000 calls: a large log shows it is moving without a line per batch.
    std::int64_t shown = 0;
    auto report = store::copy_log(
        *source.value(), *destination.value(), options, [&shown](const store::LogCopyReport& progress) {
            const std::int64_t done = progress.copied.calls + progress.calls_skipped;
            if (done - shown < 10000) return;
            shown = done;
            std::cerr << "copy-log: " << progress.copied.calls << " calls copied, " << progress.calls_skipped
                      << " already there\n";
        });
    if (!report) {
        std::cerr
            << "copy-log: " << report.error().message
            << "\ncopy-log: what was copied before stays; running the command again goes on from there\n";
        return 1;
    }
    std::cout << store::describe(report.value()) << std::endl;
    return 0;
}

}  // namespace ff::app
