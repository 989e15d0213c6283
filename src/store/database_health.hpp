// What the call log knows of its database's reachability, for /health: kept by the writer, read by probes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "calls/call.hpp"

namespace ff::store {

struct DatabaseHealth {
    std::string backend = "database";  // "PostgreSQL", "SQLite": for the reader
    bool reachable = true;             // false from a failed write until a write succeeds again
    std::optional<calls::TimePoint> unreachable_since;
    std::string last_error;  // the latest failure; backends' messages never hold a password
    std::size_t queued = 0;  // call records waiting in the spool
    std::string spool_path;
    std::uint64_t lost = 0;  // records neither written nor spooled (spool full or unusable) since start

    // Degraded while the database is away or records still wait for it.
    bool ok() const { return reachable && queued == 0; }
};

// One line for /health: "PostgreSQL unreachable since 2026-11-25T17:30:00.000Z: <error>; 3 call record(s)
// queued on disk in /data/spool/call-log.jsonl", or "PostgreSQL reachable" when ok.
std::string describe(const DatabaseHealth& health);

}  // namespace ff::store
