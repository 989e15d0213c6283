// One Beast client session per request; a single timer bounds resolve, connect, handshake, write and read.
#include "http/http_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <memory>
#include <type_traits>

namespace ff::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Certificates are checked against the system's store (SSL_CERT_FILE / SSL_CERT_DIR move it, as for any
// OpenSSL program).
asio::ssl::context& tls_context() {
    static asio::ssl::context context = [] {
        asio::ssl::context made(asio::ssl::context::tls_client);
        made.set_default_verify_paths();
        made.set_verify_mode(asio::ssl::verify_peer);
        return made;
    }();
    return context;
}

template <class Stream>
class ClientSession : public std::enable_shared_from_this<ClientSession<Stream>> {
  public:
    ClientSession(asio::io_context& io, ClientRequest request, std::function<void(ClientOutcome)> done)
        : strand_(asio::make_strand(io)),
          resolver_(strand_),
          stream_(make_stream()),
          timer_(strand_),
          url_(std::move(request.url)),
          timeout_(request.timeout),
          done_(std::move(done)) {
        request_.version(11);
        request_.method(request.method);
        request_.target(url_.target);
        const bool v6 = url_.host.find(':') != std::string::npos;
        const std::uint16_t default_port = url_.tls ? 443 : 80;
        request_.set(bhttp::field::host, (v6 ? "[" + url_.host + "]" : url_.host) +
                                             (url_.port == default_port ? std::string() : ":" + std::to_string(url_.port)));
        request_.set(bhttp::field::user_agent, "pjsip-service");
        request_.set(bhttp::field::connection, "close");
        for (auto& [name, value] : request.headers) request_.set(name, value);
        request_.body() = std::move(request.body);
        request_.prepare_payload();
        parser_.body_limit(request.max_answer_bytes);
    }

    void start() {
        asio::dispatch(strand_, [self = this->shared_from_this()] { self->begin(); });
    }

  private:
    Stream make_stream() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            return Stream(strand_, tls_context());
        } else {
            return Stream(strand_);
        }
    }

    beast::tcp_stream& tcp_layer() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            return stream_.next_layer();
        } else {
            return stream_;
        }
    }

    void begin() {
        timer_.expires_after(timeout_);
        timer_.async_wait([self = this->shared_from_this()](beast::error_code error) {
            if (!error) self->finish({std::nullopt, "no answer within " + std::to_string(self->timeout_.count()) + " ms"});
        });
        resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                [self = this->shared_from_this()](beast::error_code error, tcp::resolver::results_type found) {
                                    if (error) return self->fail("resolving the host", error);
                                    self->connect(found);
                                });
    }

    void connect(const tcp::resolver::results_type& addresses) {
        tcp_layer().async_connect(addresses, [self = this->shared_from_this()](beast::error_code error, const tcp::endpoint&) {
            if (error) return self->fail("connecting", error);
            self->handshake();
        });
    }

    void handshake() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            // SNI, and the certificate must name the host.
            // SSL_set_tlsext_host_name, without its macro's C cast.
            if (SSL_ctrl(stream_.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         const_cast<char*>(url_.host.c_str())) != 1)
                return finish({std::nullopt, "TLS: the host name cannot be sent"});
            stream_.set_verify_callback(asio::ssl::host_name_verification(url_.host));
            stream_.async_handshake(asio::ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code error) {
                if (error) return self->fail("the TLS handshake", error);
                self->write();
            });
        } else {
            write();
        }
    }

    void write() {
        bhttp::async_write(stream_, request_, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            if (error) return self->fail("sending the request", error);
            bhttp::async_read(self->stream_, self->buffer_, self->parser_,
                              [self](beast::error_code read_error, std::size_t) {
                                  if (read_error) return self->fail("reading the answer", read_error);
                                  auto& response = self->parser_.get();
                                  self->finish({ClientAnswer{response.result_int(), std::move(response.body())}, {}});
                              });
        });
    }

    void fail(const char* stage, const beast::error_code& error) {
        // After the timer fired the session is finished and this is only the echo of cancelling it.
        finish({std::nullopt, std::string(stage) + " failed: " + error.message()});
    }

    void finish(ClientOutcome outcome) {
        if (finished_) return;
        finished_ = true;
        timer_.cancel();
        resolver_.cancel();
        beast::error_code ignored;
        tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp_layer().close();
        auto done = std::move(done_);
        done(std::move(outcome));
    }

    Strand strand_;
    tcp::resolver resolver_;
    Stream stream_;
    asio::steady_timer timer_;
    ClientUrl url_;
    std::chrono::milliseconds timeout_;
    std::function<void(ClientOutcome)> done_;
    bhttp::request<bhttp::string_body> request_;
    beast::flat_buffer buffer_;
    bhttp::response_parser<bhttp::string_body> parser_;
    bool finished_ = false;
};

}  // namespace

std::optional<ClientUrl> parse_client_url(std::string_view url) {
    ClientUrl parsed;
    if (url.starts_with("https://")) {
        parsed.tls = true;
        parsed.port = 443;
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        url.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    if (const auto fragment = url.find('#'); fragment != std::string_view::npos) url = url.substr(0, fragment);
    const auto path_at = url.find_first_of("/?");
    std::string_view authority = url.substr(0, path_at);
    parsed.target = path_at == std::string_view::npos ? "/" : std::string(url.substr(path_at));
    if (parsed.target.front() == '?') parsed.target.insert(0, "/");
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    std::string_view port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        parsed.host = std::string(authority.substr(1, close - 1));
        const auto rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            port = rest.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        parsed.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (parsed.host.empty()) return std::nullopt;
    for (const unsigned char c : parsed.target) {
        if (c <= 0x20 || c == 0x7f) return std::nullopt;  // it goes into the request line as it is
    }
    if (!port.empty() || authority.back() == ':') {
        unsigned value = 0;
        const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (error != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
        parsed.port = static_cast<std::uint16_t>(value);
    }
    return parsed;
}

void send_request(asio::io_context& io, ClientRequest request, std::function<void(ClientOutcome)> done) {
    if (request.url.tls) {
        std::make_shared<ClientSession<TlsStream>>(io, std::move(request), std::move(done))->start();
    } else {
        std::make_shared<ClientSession<beast::tcp_stream>>(io, std::move(request), std::move(done))->start();
    }
}

}  // namespace ff::http
