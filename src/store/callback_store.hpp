// The callback list read from the call log (calls/callback_list.hpp): each backend selects the calls that
// matter, the list itself is built once for both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calls/callback_list.hpp"
#include "calls/result.hpp"

namespace ff::store {

class CallbackStore {
  public:
    virtual ~CallbackStore() = default;

    // The entries made by calls that started at `since` or later (only `phone`'s calls when given), oldest
    // first. A read the database cannot answer is an error, never an empty list.
    calls::Result<std::vector<calls::Callback>> callbacks(calls::TimePoint since,
                                                          const std::optional<std::string>& phone = std::nullopt);

  protected:
    // Answered calls, and inbound calls that ended, started at `since` or later; with `phone`, only those
    // whose customer's side is that number.
    virtual calls::Result<std::vector<calls::CallbackContact>> select_callback_contacts(
        calls::TimePoint since, const std::optional<std::string>& phone) = 0;
};

}  // namespace ff::store
