// Call snapshots and webhook events the database could not take, kept in order in a local file until it
// takes them again.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>

#include "calls/call.hpp"
#include "calls/result.hpp"
#include "store/log_record.hpp"

namespace ff::store {

// A JSON-lines file, one record a line: a snapshot alone in its API form (wire::to_json; wire::call_from_json
// reads it back and refuses a damaged line), or {"call"?, "webhookEvents"} when events come with it; each append flushed to the disk (fdatasync) before append() returns, so a
// crash of the service loses nothing already spooled. The records are also held in memory, oldest first, for
// the replay. Used by one thread only (the store worker's).
class CallLogSpool {
  public:
    // Opens the spool at `path`, creating its directory and the file as needed. Records a previous run left
    // are read back in order; a line that does not parse (the last one, cut short by a crash) is skipped
    // with a warning, and the file is written again without it so later appends start on a line of their own.
    static calls::Result<std::unique_ptr<CallLogSpool>> open(const std::filesystem::path& path,
                                                             std::uint64_t max_bytes);

    ~CallLogSpool();
    CallLogSpool(const CallLogSpool&) = delete;
    CallLogSpool& operator=(const CallLogSpool&) = delete;

    // Adds `record` after every record held. Refused (unavailable, saying why) when the file would pass
    // max_bytes or the disk does not take it; then the file is as it was before.
    calls::Status append(const LogRecord& record);

    bool empty() const { return records_.empty(); }
    std::size_t size() const { return records_.size(); }
    const LogRecord& front() const { return records_.front(); }

    // The oldest record reached the database. It stays in the file until every record did (clear()):
    // should the service die before that, the next run writes it again, which the call log's upsert by
    // call id makes harmless as long as the order is kept.
    void pop_front() { records_.pop_front(); }

    // Every record reached the database: the file is emptied. Refused only if the disk refuses.
    calls::Status clear();

    const std::filesystem::path& path() const { return path_; }
    std::uint64_t file_bytes() const { return file_bytes_; }
    std::uint64_t max_bytes() const { return max_bytes_; }

  private:
    CallLogSpool(std::filesystem::path path, std::uint64_t max_bytes, int file);

    std::filesystem::path path_;
    std::uint64_t max_bytes_;
    int file_;  // opened for appending
    std::uint64_t file_bytes_ = 0;
    std::deque<LogRecord> records_;
};

}  // namespace ff::store
