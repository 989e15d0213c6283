// Starts the media plane from the configuration and keeps its health: every rtpengine is pinged every few
// seconds (the ng client also skips dead ones for new calls on its own).
#include "app/media_plane.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/udp.hpp>
#include <chrono>

#include "app/call_recordings.hpp"
#include "config/service_config.hpp"
#include "media/key_receiver.hpp"
#include "media/ng_address.hpp"
#include "media/rtpengine_media.hpp"
#include "media/rtpengine_process.hpp"
#include "recordings/recording_files.hpp"

namespace ff::app {
namespace {

namespace asio = boost::asio;

// MEDIA_ADDRESS unset: the local address the system routes towards the PBX, as the SIP stack's own packets
// leave from it (a UDP "connect" sends nothing); 127.0.0.1 when the PBX is not known yet.
std::string address_towards(const std::string& host) {
    if (host.empty()) return "127.0.0.1";
    boost::system::error_code error;
    asio::io_context io;
    asio::ip::udp::resolver resolver(io);
    const auto found = resolver.resolve(asio::ip::udp::v4(), host, "5060", error);
    if (error || found.empty()) return "127.0.0.1";
    asio::ip::udp::socket socket(io);
    socket.open(asio::ip::udp::v4(), error);
    if (!error) socket.connect(found.begin()->endpoint(), error);
    if (error) return "127.0.0.1";
    return socket.local_endpoint(error).address().to_string();
}

}  // namespace

MediaPlane::MediaPlane(std::string instances)
    : instances_(std::move(instances)), status_{"media", true, "rtpengine at " + instances_} {}

MediaPlane::~MediaPlane() {
    media_.reset();  // before the process it talks to; its pings stop with it
    if (process_) process_->stop();
    keys_.reset();  // no key is handed on once the plane is going
}

calls::Result<std::unique_ptr<MediaPlane>> MediaPlane::start(const config::ServiceConfig& config, KeyHandler pressed) {
    if (config.media != config::MediaMode::rtpengine) return std::unique_ptr<MediaPlane>();
    media::RtpengineMediaSettings settings;
    settings.advertised_address = config.media_public_address;
    // The keys: on RTPENGINE_DTMF_LISTEN, or for the rtpengine started here on a free loopback port.
    std::unique_ptr<media::KeyReceiver> keys;
    if (!config.rtpengine_dtmf_host.empty() || config.rtpengine_urls.empty()) {
        const bool configured = !config.rtpengine_dtmf_host.empty();
        auto receiver = media::KeyReceiver::start(configured ? config.rtpengine_dtmf_host : "127.0.0.1",
                                                  configured ? config.rtpengine_dtmf_port : 0, std::move(pressed));
        if (!receiver)
            return calls::make_error(calls::ErrorCode::unavailable, "MEDIA=rtpengine: " + receiver.error().message);
        keys = std::move(receiver).value();
        if (configured) spdlog::info("media: keys pressed are heard from rtpengine on {}", keys->address());
    }
    std::unique_ptr<media::RtpengineProcess> process;
    if (config.rtpengine_urls.empty()) {
        media::RtpengineProcessSettings own;
        own.binary = config.rtpengine_binary;
        own.address = config.media_address.empty() ? address_towards(config.pbx.server) : config.media_address;
        own.advertised_address = config.media_public_address;
        own.port_min = static_cast<std::uint16_t>(config.pbx.rtp_port_min);
        own.port_max = static_cast<std::uint16_t>(config.pbx.rtp_port_max);
        own.key_log_address = keys->address();
        if (config.recording != config::RecordingMode::off)
            own.recording_dir = recordings::captures_dir(recording_dir(config)).string();
        process = std::make_unique<media::RtpengineProcess>(own);
        if (auto started = process->start(); !started) {
            return calls::make_error(calls::ErrorCode::unavailable,
                                     "MEDIA=rtpengine: cannot start rtpengine: " + started.error().message);
        }
        settings.instances.push_back(process->ng_address());
        spdlog::info("media: rtpengine started, media on {} ports {}-{}, control {}", own.address, own.port_min,
                     own.port_max, process->ng_address().text());
    } else {
        for (const auto& url : config.rtpengine_urls) {
            if (auto address = media::parse_ng_address(url)) settings.instances.push_back(*address);
        }
    }
    std::string names;
    for (const auto& address : settings.instances) names += (names.empty() ? "" : ", ") + address.text();
    std::unique_ptr<MediaPlane> plane(new MediaPlane(names));
    plane->keys_ = std::move(keys);
    plane->process_ = std::move(process);
    // rtpengine's own pings (every 2 s) keep /health's word on it.
    const auto probed = [raw = plane.get()](std::size_t alive) { raw->probed(alive); };
    settings.probed = probed;
    plane->media_ = std::make_unique<media::RtpengineMedia>(std::move(settings));
    plane->media_->probe(probed);
    return plane;
}

media::MediaAnchor& MediaPlane::anchor() {
    return *media_;
}

void MediaPlane::probed(std::size_t alive) {
    if (alive > 0) {
        set_status(true, "rtpengine at " + instances_ + (alive > 1 ? " (" + std::to_string(alive) + " answer)" : ""));
    } else {
        set_status(false, "no rtpengine answers at " + instances_ + "; calls pass their SDP through (no music on hold, no recording)");
    }
}

void MediaPlane::public_address_learned(const std::string& server, const std::string& address,
                                        const std::string& error) {
    std::lock_guard lock(mutex_);
    if (!address.empty()) {
        public_address_error_.clear();
        if (address == public_address_) return;
        public_address_ = address;
        media_->set_advertised_address(address);
        spdlog::info("media: public address {} learned from the STUN server {}; SDP carries it from now on", address,
                     server);
        return;
    }
    if (error == public_address_error_) return;
    public_address_error_ = error;
    spdlog::warn("media: {}; SDP carries {}", error,
                 public_address_.empty() ? "rtpengine's own address" : public_address_ + ", learned before");
}

void MediaPlane::call_failed(const std::string& reason) {
    set_status(false, "a call passed its SDP through: " + reason);
}

void MediaPlane::set_status(bool ok, std::string detail) {
    std::lock_guard lock(mutex_);
    if (status_.ok != ok) {
        if (ok) spdlog::info("media: {}", detail);
        else spdlog::warn("media: {}", detail);
    }
    status_.ok = ok;
    status_.detail = std::move(detail);
}

api::DependencyStatus MediaPlane::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

}  // namespace ff::app
