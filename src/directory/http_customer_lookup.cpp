// One GET through the shared HTTP client per lookup, bounded by its timeout.
#include "directory/http_customer_lookup.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/http_client.hpp"
#include "http/url.hpp"

namespace ff::directory {
namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024;

// What the CRM's answer says of the caller; a problem is logged without the number or the customer's data.
std::optional<calls::Customer> customer_of(const http::ClientOutcome& outcome, const std::string& phone,
                                           const config::HttpUrl& url) {
    std::string problem;
    std::optional<calls::Customer> customer;
    if (!outcome.answer) {
        problem = outcome.error;
    } else if (outcome.answer->status == 404) {
        spdlog::debug("customer lookup: the CRM does not know the number");
    } else if (outcome.answer->status != 200) {
        problem = "the CRM answered HTTP " + std::to_string(outcome.answer->status);
    } else {
        customer = parse_customer_json(outcome.answer->body, phone);
        if (!customer) problem = "the CRM's answer is not a customer object";
    }
    if (!problem.empty()) spdlog::warn("customer lookup at {}:{}: {}", url.host, url.port, problem);
    return customer;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace

std::optional<calls::Customer> parse_customer_json(std::string_view body, const std::string& phone) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    const auto text_of = [&json](const char* key) -> std::string {
        const auto found = json.find(key);
        if (found == json.end()) return {};
        if (found->is_string()) return found->get<std::string>();
        if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
        return {};
    };
    calls::Customer customer{text_of("id"), text_of("name"), text_of("phone")};
    if (customer.id.empty() && customer.name.empty()) return std::nullopt;
    if (customer.phone.empty()) customer.phone = phone;
    return customer;
}

std::optional<HttpCustomerLookup> HttpCustomerLookup::create(boost::asio::io_context& io,
                                                             const std::string& url,
                                                             std::chrono::milliseconds timeout) {
    auto parsed = config::parse_http_url(url);
    if (!parsed) return std::nullopt;
    return HttpCustomerLookup(io, std::move(*parsed), timeout);
}

void HttpCustomerLookup::fetch(const std::string& phone, Done done) const {
    http::ClientRequest request;
    request.url = http::ClientUrl{false, url_.host, url_.port, replace_all(url_.target, "{phone}", http::percent_encode(phone))};
    request.headers = {{"Accept", "application/json"}};
    request.timeout = timeout_;
    request.max_answer_bytes = max_answer_bytes;
    http::send_request(*io_, std::move(request), [phone, url = url_, done = std::move(done)](http::ClientOutcome outcome) {
        done(customer_of(outcome, phone, url));
    });
}

}  // namespace ff::directory
