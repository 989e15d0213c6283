#include "media/key_receiver.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <thread>

namespace ff::media {

namespace asio = boost::asio;
using asio::ip::udp;

class KeyReceiver::Impl {
  public:
    explicit Impl(Handler handler) : handler_(std::move(handler)), socket_(io_) {}

    ~Impl() {
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }

    MediaStatus listen(const std::string& host, std::uint16_t port) {
        boost::system::error_code error;
        const auto address = asio::ip::make_address(host, error);
        if (!error) socket_.open(address.is_v6() ? udp::v6() : udp::v4(), error);
        if (!error) socket_.bind(udp::endpoint(address, port), error);
        if (error)
            return MediaError{MediaErrorKind::unavailable, "cannot listen for rtpengine's keys on " + host + ":" +
                                                               std::to_string(port) + ": " + error.message()};
        receive();
        thread_ = std::thread([this] {
            pthread_setname_np(pthread_self(), "ff-dtmf-keys");
            io_.run();
        });
        return calls::Done{};
    }

    std::string address() const {
        boost::system::error_code error;
        const udp::endpoint local = socket_.local_endpoint(error);
        if (error) return {};
        const std::string host = local.address().to_string();
        return (local.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(local.port());
    }

  private:
    void receive() {
        socket_.async_receive_from(asio::buffer(datagram_), sender_, [this](boost::system::error_code error, std::size_t size) {
            if (error == asio::error::operation_aborted) return;
            if (!error) {
                if (auto report = parse_key_report(std::string_view(datagram_.data(), size))) {
                    handler_(std::move(*report));
                } else {
                    spdlog::debug("media: a datagram from {} on the key socket is no key report; dropped",
                                  sender_.address().to_string());
                }
            }
            receive();
        });
    }

    Handler handler_;
    asio::io_context io_;
    udp::socket socket_;
    udp::endpoint sender_;
    std::array<char, 2048> datagram_{};  // a report is a few hundred bytes; longer ones are cut, then refused
    std::thread thread_;
};

KeyReceiver::KeyReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KeyReceiver::~KeyReceiver() = default;

MediaResult<std::unique_ptr<KeyReceiver>> KeyReceiver::start(const std::string& host, std::uint16_t port,
                                                             Handler handler) {
    auto impl = std::make_unique<Impl>(std::move(handler));
    if (auto listening = impl->listen(host, port); !listening) return listening.error();
    return std::unique_ptr<KeyReceiver>(new KeyReceiver(std::move(impl)));
}

std::string KeyReceiver::address() const {
    return impl_->address();
}

}  // namespace ff::media
