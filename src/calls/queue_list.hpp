// The queues as configured, shared by the API, which changes them, and the SIP engine, which routes calls by
// them and says who waits in each. Thread-safe; listeners hear of every change of the configuration (on the
// changing thread).
#pragma once

#include <functional>
#include <map>
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

    // Who waits in the queue now, in order (the SIP engine keeps it current).
    void set_waiting(const std::string& queue, std::vector<QueueCaller> callers);
    std::vector<QueueCaller> waiting(const std::string& queue) const;

  private:
    mutable std::mutex mutex_;
    std::vector<QueueConfig> queues_;
    std::vector<Listener> listeners_;
    std::map<std::string, std::vector<QueueCaller>> waiting_;
};

}  // namespace ff::calls
