// The call log's side of the popup's customer lookup, read on a storage reader.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "store/store_worker.hpp"

namespace ff::store {

using CustomerReply = std::function<void(std::optional<calls::Customer>)>;

// A source of the customer last linked to a normalised number, for directory::CustomerDirectory. `worker`
// must outlive the source.
std::function<void(std::string number, CustomerReply reply)> past_customers(StoreWorker& worker);

}  // namespace ff::store
