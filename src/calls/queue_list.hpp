// The queues as configured, shared by the API, which changes them, and the SIP engine, which routes calls by
// them. Thread-safe; listeners hear of every change (on the changing thread).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calls/queue.hpp"

namespace ff::calls {

class QueueList {
  public:
    using Listener = std::function<void(const std::vector<QueueConfig>&)>;

    std::vector<QueueConfig> all() const;
    std::optional<QueueConfig> find(const std::string& extension) const;
    void replace(std::vector<QueueConfig> queues);
    void on_change(Listener listener);

  private:
    mutable std::mutex mutex_;
    std::vector<QueueConfig> queues_;
    std::vector<Listener> listeners_;
};

}  // namespace ff::calls
