// Reading the active calls: this instance's registry, or every instance's when several share Redis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"

namespace ff::calls {

class CallView {
  public:
    virtual ~CallView() = default;

    virtual std::optional<Call> find(const std::string& call_id) const = 0;
    virtual std::vector<Call> active() const = 0;  // oldest first
    virtual std::size_t size() const = 0;
    // Grows on every change; lets readers cache what they derive from active().
    virtual std::uint64_t version() const = 0;
};

}  // namespace ff::calls
