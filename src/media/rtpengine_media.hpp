// MediaAnchor over one or several rtpengines, on a media thread of its own.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "media/media_anchor.hpp"
#include "media/ng_address.hpp"
#include "media/ng_client.hpp"

namespace ff::media {

struct RtpengineMediaSettings {
    std::vector<NgAddress> instances;  // RTPENGINE_URL, or the address of the rtpengine the service started
    NgTiming timing;
    // Every instance is pinged this often; one that fails is skipped for new calls until it answers again.
    std::chrono::milliseconds probe_every{2000};
    std::function<void(std::size_t alive)> probed;  // after each of those pings, how many answered (media thread)
    std::string advertised_address;  // MEDIA_PUBLIC_ADDRESS: put in the SDP ("media-address") when set
};

// Owns an io_context and the one thread that runs it: every ng socket, timer and the instance choice live
// there, so no lock guards them. Methods post to that thread; completions run on it (MediaAnchor).
class RtpengineMedia final : public MediaAnchor {
  public:
    explicit RtpengineMedia(RtpengineMediaSettings settings);
    ~RtpengineMedia() override;  // stops the thread; pending completions are dropped
    RtpengineMedia(const RtpengineMedia&) = delete;
    RtpengineMedia& operator=(const RtpengineMedia&) = delete;

    void offer(const std::string& call_id, const std::string& from_tag, const std::string& sdp,
               const OfferOptions& options, SdpCompletion done) override;
    void answer(const std::string& call_id, const std::string& from_tag, const std::string& to_tag,
                const std::string& sdp, const AnswerOptions& options, SdpCompletion done) override;
    void remove(const std::string& call_id, StatusCompletion done) override;
    void play(const std::string& call_id, const std::string& tag, const std::string& file,
              StatusCompletion done) override;
    void stop_play(const std::string& call_id, const std::string& tag, StatusCompletion done) override;
    void query(const std::string& call_id, StatsCompletion done) override;
    void start_recording(const std::string& call_id, StatusCompletion done) override;
    void stop_recording(const std::string& call_id, StatusCompletion done) override;

    // The address offers and answers advertise from now on ("media-address"; empty: rtpengine's own), as
    // learned by STUN when the public address is not configured. Any thread.
    void set_advertised_address(std::string address);

    // Pings every instance now and calls `done` on the media thread with how many answered.
    void probe(std::function<void(std::size_t alive)> done);

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ff::media
