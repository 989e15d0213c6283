// Call-log write latency on SQLite and PostgreSQL at a steady rate, through the CallLogWriter and the
// StoreWorker as the service writes it; prints one table and exits non-zero if a write failed or a call is
// missing from the log. Env: RATE (writes/s, 50), DURATION (seconds during which calls start, 20), BACKENDS
// ("sqlite,postgresql"). Beside them, the disk's own flush at the same rate: the floor of a durable commit.
#include <spdlog/spdlog.h>
#include <stdlib.h>  // NOLINT: mkdtemp

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calls/event_bus.hpp"
#include "disk_flush.hpp"
#include "latency_summary.hpp"
#include "postgres_cluster.hpp"
#include "store/call_log_writer.hpp"
#include "store/storage.hpp"
#include "store/store_worker.hpp"
#include "write_load.hpp"

namespace ff::bench {
namespace {

struct BackendRun {
    std::string name;
    LoadResult load;
    std::int64_t logged_calls = 0;       // the call log's count after the run
    std::uint64_t failed_snapshots = 0;  // record_call jobs the CallLogWriter saw fail or had to spool
};

std::string environment(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

const char* kind_name(WriteKind kind) {
    switch (kind) {
        case WriteKind::call_new:
            return "record_call new";
        case WriteKind::call_answered:
            return "record_call answered";
        case WriteKind::call_ended:
            return "record_call ended";
        case WriteKind::order_link:
            return "link_order";
        case WriteKind::note:
            return "add_note";
    }
    return "?";
}

// The writer gets a spool file as the service's does; with the database up, nothing goes there.
calls::Result<BackendRun> measure(const std::string& name, const std::string& database_url,
                                  const std::filesystem::path& spool, const LoadOptions& options) {
    auto storage = store::open_storage(database_url);
    if (!storage) return storage.error();
    store::StoreWorker worker(std::move(storage).value());
    calls::EventBus bus;
    store::CallLogWriterOptions writer_options;
    writer_options.spool_path = spool;
    writer_options.backend = name;
    store::CallLogWriter writer(bus, worker, writer_options);
    BackendRun run{name, run_write_load(bus, worker, options), 0, 0};
    run.failed_snapshots = writer.failures() + writer.spooled();
    worker.post([&run](store::Storage& opened) {
        store::CallQuery query;
        query.limit = 1;
        const auto page = opened.list_calls(query);
        run.logged_calls = page ? page->total : -1;
    });
    worker.drain();
    return run;
}

void print_row(const std::string& backend, const std::string& write, const std::vector<double>& latencies) {
    const LatencySummary summary = summarize(latencies);
    std::printf("%-22s %-22s %7zu %8.2f %8.2f %8.2f %8.2f\n", backend.c_str(), write.c_str(), summary.count,
                summary.p50, summary.p90, summary.p99, summary.max);
}

// Returns false if the run lost or failed a write.
bool print_run(const BackendRun& run, const LoadOptions& options) {
    std::map<WriteKind, std::vector<double>> by_kind;
    std::vector<double> record_calls, all;
    std::size_t failures = run.failed_snapshots, steady_writes = 0;
    for (const auto& sample : run.load.samples) {
        by_kind[sample.kind].push_back(sample.milliseconds);
        all.push_back(sample.milliseconds);
        if (sample.kind == WriteKind::call_new || sample.kind == WriteKind::call_answered ||
            sample.kind == WriteKind::call_ended)
            record_calls.push_back(sample.milliseconds);
        if (!sample.ok) ++failures;
        if (sample.posted_at_seconds < static_cast<double>(options.duration.count())) ++steady_writes;
    }
    print_row(run.name, "all writes", all);
    print_row("", "record_call (3/call)", record_calls);
    for (const auto& [kind, latencies] : by_kind) print_row("", kind_name(kind), latencies);
    std::printf(
        "%-22s %zu calls, %.1f writes/s while calls started (offered %.1f), %zu writes in %.1f s, "
        "most queued %zu, failed or spooled %zu, calls in the log %lld\n",
        "", run.load.calls,
        static_cast<double>(steady_writes) / static_cast<double>(options.duration.count()),
        options.writes_per_second, run.load.samples.size(), run.load.elapsed_seconds, run.load.most_queued,
        failures, static_cast<long long>(run.logged_calls));
    return failures == 0 && run.logged_calls == static_cast<std::int64_t>(run.load.calls);
}

int run_benchmark() {
    LoadOptions options;
    options.writes_per_second = std::stod(environment("RATE", "50"));
    options.duration = std::chrono::seconds(std::stoi(environment("DURATION", "20")));
    const std::string backends = "," + environment("BACKENDS", "sqlite,postgresql") + ",";
    if (options.writes_per_second <= 0 || options.duration.count() <= 0) {
        std::fprintf(stderr, "RATE and DURATION must be positive\n");
        return 2;
    }

    // The SQLite file and the spools, on disk, removed at the end.
    std::string pattern = (std::filesystem::temp_directory_path() / "ff-bench-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return 2;
    const std::filesystem::path directory = pattern;
    struct RemoveAtEnd {
        std::filesystem::path path;
        ~RemoveAtEnd() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } remove_at_end{directory};

    std::vector<BackendRun> runs;
    std::string failure;
    std::fprintf(stderr, "disk: 8 KiB appends with fdatasync in %s, %.0f/s\n", pattern.c_str(),
                 options.writes_per_second);
    const std::vector<double> disk_flushes = measure_disk_flush(
        directory, options.writes_per_second,
        static_cast<std::size_t>(options.writes_per_second * static_cast<double>(options.duration.count())));
    if (backends.find(",sqlite,") != std::string::npos) {
        std::fprintf(stderr, "SQLite: %s/calls.db (WAL, synchronous=NORMAL as the service opens it)\n",
                     pattern.c_str());
        auto run = measure("sqlite (file, WAL)", "sqlite://" + pattern + "/calls.db",
                           directory / "sqlite-spool.jsonl", options);
        if (!run)
            failure += "sqlite: " + run.error().message + "\n";
        else
            runs.push_back(std::move(run).value());
    }
    if (backends.find(",postgresql,") != std::string::npos) {
        PostgresCluster cluster;
        std::fprintf(stderr, "PostgreSQL: starting a throwaway cluster on 127.0.0.1 (fsync on)\n");
        const calls::Status started = cluster.start();
        const calls::Result<std::string> url =
            started ? cluster.create_database("ff_bench") : calls::Result<std::string>{started.error()};
        if (!url) {
            failure += "postgresql: " + url.error().message + "\n";
        } else {
            auto run = measure("postgresql 15", *url, directory / "postgresql-spool.jsonl", options);
            if (!run)
                failure += "postgresql: " + run.error().message + "\n";
            else
                runs.push_back(std::move(run).value());
        }
    }

    std::printf(
        "\nCall-log write latency (CallLogWriter, StoreWorker), publish or post to completion, %.0f "
        "writes/s, new calls for %lld s\n",
        options.writes_per_second, static_cast<long long>(options.duration.count()));
    std::printf("%-22s %-22s %7s %8s %8s %8s %8s\n", "backend", "write", "count", "p50 ms", "p90 ms",
                "p99 ms", "max ms");
    print_row("disk (same directory)", "8 KiB + fdatasync", disk_flushes);
    bool whole = true;
    for (const auto& run : runs) whole = print_run(run, options) && whole;
    if (!failure.empty()) std::fprintf(stderr, "%s", failure.c_str());
    return whole && failure.empty() ? 0 : 1;
}

}  // namespace
}  // namespace ff::bench

int main() {
    spdlog::set_level(spdlog::level::warn);
    try {
        return ff::bench::run_benchmark();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "store_write_latency: %s\n", error.what());
        return 2;
    }
}
