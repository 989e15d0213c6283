// One short-lived Beast client session per lookup; a single timer bounds resolve, connect, write and read.
#include "directory/http_customer_lookup.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <nlohmann/json.hpp>

namespace ff::directory {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t max_answer_bytes = 64 * 1024;

class LookupSession : public std::enable_shared_from_this<LookupSession> {
  public:
    LookupSession(asio::io_context& io, const config::HttpUrl& url, std::string target, std::string phone,
                  std::chrono::milliseconds timeout, HttpCustomerLookup::Done done)
        : strand_(asio::make_strand(io)),
          resolver_(strand_),
          stream_(strand_),
          timer_(strand_),
          host_(url.host),
          port_(url.port),
          phone_(std::move(phone)),
          timeout_(timeout),
          done_(std::move(done)) {
        request_.version(11);
        request_.method(http::verb::get);
        request_.target(target);
        const bool v6 = host_.find(':') != std::string::npos;
        const std::string host_header =
            (v6 ? "[" + host_ + "]" : host_) + (port_ == 80 ? std::string() : ":" + std::to_string(port_));
        request_.set(http::field::host, host_header);
        request_.set(http::field::accept, "application/json");
        request_.set(http::field::user_agent, "pjsip-service");
        request_.set(http::field::connection, "close");
        parser_.body_limit(max_answer_bytes);
    }

    void start() {
        asio::dispatch(strand_, [self = shared_from_this()] { self->begin(); });
    }

  private:
    void begin() {
        timer_.expires_after(timeout_);
        timer_.async_wait([self = shared_from_this()](beast::error_code error) {
            if (!error)
                self->finish(std::nullopt,
                             "no answer within " + std::to_string(self->timeout_.count()) + " ms");
        });
        resolver_.async_resolve(
            host_, std::to_string(port_),
            [self = shared_from_this()](beast::error_code error, tcp::resolver::results_type found) {
                if (error) return self->fail("resolving the host", error);
                self->connect(found);
            });
    }

    void connect(const tcp::resolver::results_type& addresses) {
        stream_.async_connect(
            addresses, [self = shared_from_this()](beast::error_code error, const tcp::endpoint&) {
                if (error) return self->fail("connecting", error);
                http::async_write(self->stream_, self->request_,
                                  [self](beast::error_code write_error, std::size_t) {
                                      if (write_error) return self->fail("sending the request", write_error);
                                      self->read();
                                  });
            });
    }

    void read() {
        http::async_read(stream_, buffer_, parser_,
                         [self = shared_from_this()](beast::error_code error, std::size_t) {
                             if (error) return self->fail("reading the answer", error);
                             self->answered();
                         });
    }

    void answered() {
        const auto& response = parser_.get();
        const unsigned status = response.result_int();
        if (status == 404) {
            spdlog::debug("customer lookup: the CRM does not know the number");
            return finish(std::nullopt, {});
        }
        if (status != 200) return finish(std::nullopt, "the CRM answered HTTP " + std::to_string(status));
        auto customer = parse_customer_json(response.body(), phone_);
        if (!customer) return finish(std::nullopt, "the CRM's answer is not a customer object");
        finish(std::move(customer), {});
    }

    void fail(const char* stage, const beast::error_code& error) {
        // After the timer fired the session is finished and this is only the echo of cancelling it.
        finish(std::nullopt, std::string(stage) + " failed: " + error.message());
    }

    void finish(std::optional<calls::Customer> customer, const std::string& problem) {
        if (finished_) return;
        finished_ = true;
        timer_.cancel();
        resolver_.cancel();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
        if (!problem.empty()) spdlog::warn("customer lookup at {}:{}: {}", host_, port_, problem);
        auto done = std::move(done_);
        done(std::move(customer));
    }

    asio::strand<asio::io_context::executor_type> strand_;
    tcp::resolver resolver_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    std::string host_;
    std::uint16_t port_;
    std::string phone_;
    std::chrono::milliseconds timeout_;
    HttpCustomerLookup::Done done_;
    http::request<http::empty_body> request_;
    beast::flat_buffer buffer_;
    http::response_parser<http::string_body> parser_;
    bool finished_ = false;
};

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            encoded.push_back(c);
        } else {
            encoded.push_back('%');
            encoded.push_back(hex[byte >> 4]);
            encoded.push_back(hex[byte & 0x0F]);
        }
    }
    return encoded;
}

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
    const std::string target = replace_all(url_.target, "{phone}", percent_encode(phone));
    std::make_shared<LookupSession>(*io_, url_, target, phone, timeout_, std::move(done))->start();
}

}  // namespace ff::directory
