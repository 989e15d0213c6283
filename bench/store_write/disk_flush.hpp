// The disk's own flush latency, the floor under any durable commit on it: measured beside the backends in
// the same run, so their figures can be read against what the disk allows.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

namespace ff::bench {

// Appends `count` 8 KiB blocks to a file in `directory`, one every 1/`per_second` s, each followed by
// fdatasync (as PostgreSQL flushes its WAL at a commit); the milliseconds each write and flush took.
std::vector<double> measure_disk_flush(const std::filesystem::path& directory, double per_second, std::size_t count);

}  // namespace ff::bench
