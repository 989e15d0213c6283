// The serialised answer of GET /api/calls/active, kept while nothing changed: the CRM polls it a lot.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "calls/call_view.hpp"

namespace ff::api {

class ActiveCallsCache {
  public:
    // {"calls":[...]} for everyone (extension empty) or for one operator's extension. Rebuilt when the
    // registry changed or the second turned (active calls show a running talk duration).
    std::shared_ptr<const std::string> body(const calls::CallView& calls,
                                            const std::string& extension);

  private:
    struct Key {
        std::uint64_t version = 0;
        std::int64_t second = 0;
        bool operator==(const Key&) const = default;
    };
    std::mutex mutex_;
    Key key_;
    std::map<std::string, std::shared_ptr<const std::string>> bodies_;  // by extension filter
};

}  // namespace ff::api
