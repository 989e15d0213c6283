// Who is calling: the customer for a phone number, for the incoming-call popup.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "directory/http_customer_lookup.hpp"
#include "directory/phone_normalizer.hpp"

namespace ff::config {
struct ServiceConfig;
}

namespace ff::directory {

struct CustomerDirectoryOptions {
    std::string lookup_url;  // CUSTOMER_LOOKUP_URL with {phone}; empty: the call log only
    std::chrono::milliseconds timeout{800};

    static CustomerDirectoryOptions from(const config::ServiceConfig& config);
};

// Two sources, asked at the same time: the call log (the customer last linked to a call with this
// number) and, when configured, the CRM over HTTP. The CRM is the authority: its customer wins when it
// answers in time; otherwise the call log's. Never blocks the caller.
class CustomerDirectory {
  public:
    using Done = std::function<void(std::optional<calls::Customer>)>;
    // The call log's side: the customer last linked to a normalised number. `reply` runs at most once, on
    // any thread; a reply dropped without being called counts as no customer. The storage provides it
    // (store::past_customers), so this folder needs no storage of its own.
    using PastCustomers = std::function<void(std::string number, Done reply)>;

    // `io` must outlive the lookups; it runs the HTTP client.
    CustomerDirectory(PastCustomers history, boost::asio::io_context& io, PhoneNormalizer normalizer,
                      CustomerDirectoryOptions options);

    // `phone` in any written form. `done` runs exactly once, never inside lookup(): on the storage
    // thread or on an io_context thread, whichever source answers last. The caller moves to its own
    // thread if it needs to. An internal extension or an empty number has no customer.
    void lookup(std::string phone, Done done);

    bool uses_http() const { return http_.has_value(); }

  private:
    PastCustomers history_;
    boost::asio::io_context& io_;
    PhoneNormalizer normalizer_;
    std::optional<HttpCustomerLookup> http_;
};

}  // namespace ff::directory
