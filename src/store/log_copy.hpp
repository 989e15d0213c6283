// Moving a call centre's log from one backend to another (SQLite to PostgreSQL): calls with their customers,
// orders and notes, API tokens, and the saved PBX settings and users, through the Storage interfaces.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "calls/result.hpp"
#include "store/storage.hpp"

namespace ff::store {

struct LogCopyOptions {
    int batch_size = 500;             // calls per read and per destination transaction
    bool overwrite_settings = false;  // replace different PBX settings or users already at the destination
};

struct LogCopyReport {
    ImportCounts copied;             // calls new to the destination, with their orders and notes
    std::int64_t calls_skipped = 0;  // already at the destination (an earlier run)
    std::int64_t tokens_copied = 0;
    std::int64_t tokens_skipped = 0;      // same id or same hash already at the destination
    bool settings_copied = false;         // PBX settings or PBX users written
    bool settings_already_there = false;  // the destination had the same ones
};

// Everything the source holds, copied into the destination; running it again copies nothing twice. Each
// batch of calls is one destination transaction, so a failure leaves whole batches behind and a new run
// goes on from there. Different settings at the destination are a conflict, checked before anything is
// written, unless `overwrite_settings`. `progress` is called after each batch of calls.
calls::Result<LogCopyReport> copy_log(Storage& source, Storage& destination, const LogCopyOptions& options,
                                      const std::function<void(const LogCopyReport&)>& progress = {});

// "copied 3 calls (4 orders, 2 notes), 2 tokens, settings: yes; skipped 0 already present"
std::string describe(const LogCopyReport& report);

}  // namespace ff::store
