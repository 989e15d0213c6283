// The media plane with MEDIA=rtpengine: the rtpengine the service starts itself (RTPENGINE_URL unset) or the
// ones configured, the ng client over them, and what /health says of them. Absent with MEDIA=passthrough.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "api/dependency_status.hpp"
#include "calls/result.hpp"

namespace ff::config {
struct ServiceConfig;
}
namespace ff::media {
class KeyReceiver;
class MediaAnchor;
class RtpengineMedia;
class RtpengineProcess;
struct KeyReport;
}  // namespace ff::media

namespace ff::app {

class MediaPlane {
  public:
    using KeyHandler = std::function<void(media::KeyReport)>;

    // Null with MEDIA=passthrough. An error when its own rtpengine cannot start (not installed, no answer) or
    // the keys' socket cannot listen: the service then does not start, as with a SIP port it cannot have.
    // `pressed` hears each key a party pressed (on a thread of the plane's), from the rtpengine the service
    // starts, or from those of RTPENGINE_URL when RTPENGINE_DTMF_LISTEN says where they send them.
    static calls::Result<std::unique_ptr<MediaPlane>> start(const config::ServiceConfig& config, KeyHandler pressed);
    ~MediaPlane();
    MediaPlane(const MediaPlane&) = delete;
    MediaPlane& operator=(const MediaPlane&) = delete;

    media::MediaAnchor& anchor();
    // For /health; any thread. Degraded while no rtpengine answers, or after a call could not be anchored
    // until the next check finds one answering.
    api::DependencyStatus status() const;
    // A call went on with its SDP passed through (any thread).
    void call_failed(const std::string& reason);
    // STUN (MEDIA_PUBLIC_ADDRESS unset): what a binding request to `server` found; a learned address goes into
    // every SDP from now on, a failure keeps the last one (any thread).
    void public_address_learned(const std::string& server, const std::string& address, const std::string& error);

  private:
    explicit MediaPlane(std::string instances);
    void probed(std::size_t alive);  // rtpengine's pings: how many answered
    void set_status(bool ok, std::string detail);

    std::string instances_;  // the rtpengines, as the status names them
    std::unique_ptr<media::KeyReceiver> keys_;  // before the process, which sends to it
    std::unique_ptr<media::RtpengineProcess> process_;
    std::unique_ptr<media::RtpengineMedia> media_;
    mutable std::mutex mutex_;
    api::DependencyStatus status_;
    std::string public_address_;  // learned by STUN; empty until then
    std::string public_address_error_;
};

}  // namespace ff::app
