// The callback list read from the call log (calls/callback_list.hpp): each backend selects the calls that
// matter, the list itself is built once for both.
#pragma once

#include <string>
#include <vector>

#include "calls/callback_list.hpp"
#include "calls/result.hpp"

namespace ff::store {

class CallbackStore {
  public:
    virtual ~CallbackStore() = default;

    // The entries made by calls that started at `since` or later, oldest first. A read the database cannot
    // answer is an error, never an empty list.
    calls::Result<std::vector<calls::Callback>> callbacks(calls::TimePoint since);

    // The entries a call with `phone` that started at `call_start` can be part of: the number's calls from its
    // last answered call before that one on (from `since` at the earliest), oldest first. The callback watch
    // asks this for every answered and missed call; it reads a few rows however often the number calls.
    calls::Result<std::vector<calls::Callback>> callbacks_around(const std::string& phone, calls::TimePoint since,
                                                                 calls::TimePoint call_start);

  protected:
    // Answered calls, and inbound calls that ended, started at `since` or later.
    virtual calls::Result<std::vector<calls::CallbackContact>> select_callback_contacts(calls::TimePoint since) = 0;
    // The same for the number `phone`, from the bound callbacks_around describes.
    virtual calls::Result<std::vector<calls::CallbackContact>> select_callback_contacts_around(
        const std::string& phone, calls::TimePoint since, calls::TimePoint call_start) = 0;
};

}  // namespace ff::store
