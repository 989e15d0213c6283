// How long the answer to a failed authentication is held back, from the failures its source address made
// just before: nothing for the first, then a step that doubles up to a ceiling. Plain arithmetic, no SIP.
#pragma once

#include <chrono>

namespace ff::sip {

struct FailureDelayPolicy {
    std::chrono::milliseconds first_step{500};  // the second failure in a row waits this long; 0: no delay
    std::chrono::milliseconds longest{8000};    // below a SIP client's 32 s transaction timeout
};

class FailureDelay {
  public:
    explicit FailureDelay(FailureDelayPolicy policy) : policy_(policy) {}

    // The wait before answering a failure that follows `earlier_failures` recent ones from the same address.
    std::chrono::milliseconds after(int earlier_failures) const;

    const FailureDelayPolicy& policy() const { return policy_; }

  private:
    FailureDelayPolicy policy_;
};

}  // namespace ff::sip
