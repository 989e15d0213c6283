// The calls a queue's line took, for the queue's figures (calls/queue_stats.hpp): each backend selects them,
// the figures are summed once for both.
#pragma once

#include <string>
#include <vector>

#include "calls/queue_stats.hpp"
#include "calls/result.hpp"

namespace ff::store {

class QueueCallStore {
  public:
    virtual ~QueueCallStore() = default;

    // The figures of the calls to `queue` (its line) that started within [from, until). A read the database
    // cannot answer is an error, never zero figures.
    calls::Result<calls::QueueStats> queue_stats(const std::string& queue, calls::TimePoint from,
                                                 calls::TimePoint until, const calls::QueueStatsOptions& options);

  protected:
    virtual calls::Result<std::vector<calls::QueueCallTimes>> select_queue_calls(const std::string& queue,
                                                                                 calls::TimePoint from,
                                                                                 calls::TimePoint until) = 0;
};

}  // namespace ff::store
