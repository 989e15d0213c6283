// What the CRM attaches to a call (a customer, an order, a note), and how it reaches the instance that has the
// call when several instances share Redis.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "calls/result.hpp"

namespace ff::calls {

struct CallLink {
    enum class Kind { customer, order, note } kind = Kind::note;
    Customer customer;     // customer
    std::string order_id;  // order
    std::string text;      // note
    std::string author;    // note: the token name of whoever wrote it
};

// Carries a link to the instance that has the call up. Only made when several instances share Redis.
class CallLinkRouter {
  public:
    using Completion = std::function<void(Result<Call>)>;
    struct Elsewhere {
        std::string owner;  // the instance that has the call up
        Call call;          // as that instance last published it
    };

    virtual ~CallLinkRouter() = default;

    // The call is up at another instance (not this one).
    virtual std::optional<Elsewhere> live_elsewhere(const std::string& call_id) const = 0;
    // `done` gets the owner's answer: the call with the link, or the owner's error; or an error when the
    // owner cannot be reached or does not answer in time. Possibly on another thread.
    virtual void forward(const Elsewhere& where, CallLink link, Completion done) = 0;
};

}  // namespace ff::calls
