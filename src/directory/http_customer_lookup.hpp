// Asking the CRM who is calling: one HTTP GET per lookup, bounded by a timeout; plain http only (as
// CUSTOMER_LOOKUP_URL is checked).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "calls/call.hpp"
#include "config/value_checks.hpp"

namespace ff::directory {

// GET <url with {phone} replaced by the URL-encoded number>. 200 with {"id":..,"name":..,"phone":..}
// is a customer; 404 is "unknown"; anything else (other status, bad JSON, refused connection,
// timeout) is "unknown" too, logged at warn without the number or the customer's data.
class HttpCustomerLookup {
  public:
    using Done = std::function<void(std::optional<calls::Customer>)>;

    // `url`: as CUSTOMER_LOOKUP_URL (already validated by the config loader); nullopt if it does not parse.
    static std::optional<HttpCustomerLookup> create(boost::asio::io_context& io, const std::string& url,
                                                    std::chrono::milliseconds timeout);

    // `done` runs exactly once, on an io_context thread (inside a strand of its own).
    // A customer without a phone in the answer gets `phone`.
    void fetch(const std::string& phone, Done done) const;

  private:
    HttpCustomerLookup(boost::asio::io_context& io, config::HttpUrl url, std::chrono::milliseconds timeout)
        : io_(&io), url_(std::move(url)), timeout_(timeout) {}

    boost::asio::io_context* io_;
    config::HttpUrl url_;
    std::chrono::milliseconds timeout_;
};

// The customer in a CRM answer body; nullopt unless it is a JSON object with a non-empty id or name.
std::optional<calls::Customer> parse_customer_json(std::string_view body, const std::string& phone);

}  // namespace ff::directory
