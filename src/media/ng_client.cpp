// The ng client: one connected UDP socket per rtpengine, one retransmission timer per pending request.
#include "media/ng_client.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

namespace ff::media {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

using Clock = std::chrono::steady_clock;

std::string random_cookie_prefix() {
    std::random_device device;
    std::uniform_int_distribution<unsigned> digit(0, 15);
    std::string prefix;
    for (int i = 0; i < 8; ++i) prefix += "0123456789abcdef"[digit(device)];
    return prefix;
}

std::string shortened(std::string_view text) {
    constexpr std::size_t limit = 120;
    std::string shown(text.substr(0, limit));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return text.size() > limit ? shown + "..." : shown;
}

}  // namespace

class NgClient::Impl : public std::enable_shared_from_this<Impl> {
  public:
    Impl(asio::io_context& io, NgAddress address, NgTiming timing)
        : io_(io), socket_(io), address_(std::move(address)), timing_(timing), prefix_(random_cookie_prefix()) {}

    void open() {
        boost::system::error_code error;
        udp::resolver resolver(io_);
        const auto endpoints = resolver.resolve(address_.host, std::to_string(address_.port), error);
        if (error || endpoints.empty()) {
            open_error_ = "rtpengine " + address_.text() + ": cannot resolve " + address_.host + ": " +
                          error.message();
            return;
        }
        const udp::endpoint endpoint = *endpoints.begin();
        socket_.open(endpoint.protocol(), error);
        // Connected: only datagrams from the rtpengine reach us, and a closed port shows as an error.
        if (!error) socket_.connect(endpoint, error);
        if (error) {
            open_error_ = "rtpengine " + address_.text() + ": cannot open a UDP socket: " + error.message();
            return;
        }
        receive();
    }

    void close() {
        closed_ = true;
        boost::system::error_code ignored;
        socket_.close(ignored);
        for (auto& [cookie, pending] : pending_) pending.timer->cancel();
        pending_.clear();
    }

    void request(const nlohmann::json& dictionary, Completion done) {
        std::string command = "(no command)";
        if (dictionary.is_object()) {
            const auto found = dictionary.find("command");
            if (found != dictionary.end() && found->is_string()) command = found->get<std::string>();
        }
        if (closed_ || !open_error_.empty()) {
            const std::string why = closed_ ? "rtpengine " + address_.text() + ": the client is stopped"
                                            : open_error_;
            asio::post(io_, [done = std::move(done), why] { done(MediaError{MediaErrorKind::unavailable, why}); });
            return;
        }
        std::string cookie = prefix_ + "_" + std::to_string(++sequence_);
        Pending pending;
        pending.command = command;
        pending.datagram = cookie + " " + dictionary.dump();
        pending.done = std::move(done);
        pending.deadline = Clock::now() + timing_.give_up_after;
        pending.timer = std::make_shared<asio::steady_timer>(io_);
        auto& stored = pending_.emplace(cookie, std::move(pending)).first->second;
        send(cookie, stored);
    }

    const NgAddress& address() const { return address_; }
    std::size_t pending() const { return pending_.size(); }

  private:
    struct Pending {
        std::string command;
        std::string datagram;
        Completion done;
        Clock::time_point deadline;
        std::shared_ptr<asio::steady_timer> timer;
        int sent = 0;
    };

    void send(const std::string& cookie, Pending& pending) {
        ++pending.sent;
        auto datagram = std::make_shared<std::string>(pending.datagram);
        // A failed send (no route yet, a refused port) is retried like a lost datagram.
        socket_.async_send(asio::buffer(*datagram), [datagram](const boost::system::error_code&, std::size_t) {});
        const auto next = std::min(Clock::now() + timing_.retransmit_every, pending.deadline);
        pending.timer->expires_at(next);
        pending.timer->async_wait([self = shared_from_this(), cookie](const boost::system::error_code& error) {
            if (!error) self->on_timer(cookie);
        });
    }

    void on_timer(const std::string& cookie) {
        const auto found = pending_.find(cookie);
        if (found == pending_.end()) return;
        Pending& pending = found->second;
        if (Clock::now() < pending.deadline) {
            send(cookie, pending);
            return;
        }
        std::string message = "rtpengine " + address_.text() + " did not answer '" + pending.command + "' within " +
                              std::to_string(timing_.give_up_after.count()) + " ms (" +
                              std::to_string(pending.sent) + " datagrams sent)";
        if (ignored_answers_ > 0)
            message += "; " + std::to_string(ignored_answers_) + " answer(s) with an unknown cookie ignored";
        finish(found, MediaError{MediaErrorKind::timeout, std::move(message)});
    }

    void receive() {
        socket_.async_receive(asio::buffer(buffer_),
                              [self = shared_from_this()](const boost::system::error_code& error, std::size_t size) {
                                  self->on_receive(error, size);
                              });
    }

    void on_receive(const boost::system::error_code& error, std::size_t size) {
        if (closed_ || error == asio::error::operation_aborted) return;
        // A refused port (ICMP) or a transient error: keep listening; the deadline decides.
        if (!error) handle_answer(std::string_view(buffer_.data(), size));
        receive();
    }

    void handle_answer(std::string_view datagram) {
        const auto space = datagram.find(' ');
        const std::string cookie(datagram.substr(0, space));
        const auto found = pending_.find(cookie);
        if (space == datagram.npos || found == pending_.end()) {
            // Usually the answer to a retransmission whose first answer was taken already.
            ++ignored_answers_;
            spdlog::debug("rtpengine {}: answer with unknown cookie ignored: {}", address_.text(), shortened(datagram));
            return;
        }
        const std::string prefix = "rtpengine " + address_.text() + ": '" + found->second.command + "' ";
        const std::string_view body = datagram.substr(space + 1);
        nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
        if (answer.is_discarded() || !answer.is_object()) {
            finish(found, MediaError{MediaErrorKind::bad_answer,
                                     prefix + "answered with something that is not a JSON object: " + shortened(body)});
            return;
        }
        const auto result = answer.find("result");
        if (result == answer.end() || !result->is_string()) {
            finish(found, MediaError{MediaErrorKind::bad_answer, prefix + "answered without a result: " + shortened(body)});
            return;
        }
        if (*result == "error") {
            const auto reason = answer.find("error-reason");
            const std::string why = reason != answer.end() && reason->is_string() ? reason->get<std::string>()
                                                                                  : "no reason given";
            finish(found, MediaError{MediaErrorKind::rejected, prefix + "failed: " + why});
            return;
        }
        if (const auto warning = answer.find("warning"); warning != answer.end() && warning->is_string())
            spdlog::warn("{}warned: {}", prefix, warning->get<std::string>());
        finish(found, std::move(answer));
    }

    void finish(std::map<std::string, Pending>::iterator found, MediaResult<nlohmann::json> result) {
        Completion done = std::move(found->second.done);
        found->second.timer->cancel();
        pending_.erase(found);
        done(std::move(result));
    }

    asio::io_context& io_;
    udp::socket socket_;
    NgAddress address_;
    NgTiming timing_;
    std::string prefix_;
    std::string open_error_;
    bool closed_ = false;
    std::uint64_t sequence_ = 0;
    std::uint64_t ignored_answers_ = 0;
    std::map<std::string, Pending> pending_;
    std::array<char, 65536> buffer_{};
};

NgClient::NgClient(asio::io_context& io, NgAddress rtpengine, NgTiming timing)
    : impl_(std::make_shared<Impl>(io, std::move(rtpengine), timing)) {
    impl_->open();
}

NgClient::~NgClient() { impl_->close(); }

void NgClient::request(const nlohmann::json& dictionary, Completion done) {
    impl_->request(dictionary, std::move(done));
}

const NgAddress& NgClient::address() const { return impl_->address(); }

std::size_t NgClient::pending() const { return impl_->pending(); }

}  // namespace ff::media
