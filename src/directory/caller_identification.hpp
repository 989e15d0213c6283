// Admitting an inbound call with its caller identified, without letting a slow lookup delay the call.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>

#include "calls/call.hpp"
#include "calls/call_registry.hpp"
#include "calls/result.hpp"
#include "directory/customer_directory.hpp"

namespace ff::directory {

// Looks up the caller (call.remote_number()) and creates the call in `registry` exactly once:
//  - the lookup answers within `wait`: the call is created with the customer (one call:new carrying it);
//  - otherwise the call is created without it as soon as `wait` passes, and the customer, when it
//    arrives, is attached with registry.update (call:updated), unless the call ended meanwhile or the
//    CRM already linked a customer by hand.
// An empty call.id is filled in before anything starts. `created` runs once with the result of
// registry.create, on an io_context thread or on the thread the lookup answered on; `registry`,
// `directory` and `io` must outlive the lookup.
void admit_inbound_call(calls::CallRegistry& registry, CustomerDirectory& directory, calls::Call call,
                        std::chrono::milliseconds wait, boost::asio::io_context& io,
                        std::function<void(calls::Result<calls::Call>)> created);

}  // namespace ff::directory
