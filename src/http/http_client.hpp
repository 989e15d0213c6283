// Outgoing HTTP requests (webhooks, and any integration that calls out): one short-lived connection per
// request over http or https (certificates checked against the system's store and the host name), bounded as
// a whole by one timeout.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ff::http {

struct ClientUrl {
    bool tls = false;
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 80;
    std::string target;  // path and query, at least "/"
};

// "http[s]://host[:port][/path][?query]" without user info; nullopt otherwise, the fragment dropped.
std::optional<ClientUrl> parse_client_url(std::string_view url);

struct ClientRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    ClientUrl url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10000};
    std::size_t max_answer_bytes = 64 * 1024;
};

struct ClientAnswer {
    unsigned status = 0;
    std::string body;
};

// The answer, or why there is none ("connecting failed: Connection refused", "no answer within 10000 ms").
struct ClientOutcome {
    std::optional<ClientAnswer> answer;
    std::string error;
};

// `done` runs exactly once, on an io_context thread, inside a strand of the request's own.
void send_request(boost::asio::io_context& io, ClientRequest request, std::function<void(ClientOutcome)> done);

}  // namespace ff::http
