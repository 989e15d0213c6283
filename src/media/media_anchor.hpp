// What the SIP side asks of the media plane, knowing no SIP dialogs: SDP in, rewritten SDP out, per call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/media_error.hpp"

namespace ff::media {

// The ng tags of a call's two parties, as the SIP side names them; rtpengine's reports (keys, counters) name
// the parties by them.
inline constexpr std::string_view customer_tag = "customer";
inline constexpr std::string_view operator_tag = "operator";

// What the party that receives a rewritten SDP speaks: plain RTP (the PBX, desk phones: ICE removed), or
// WebRTC (a browser: ICE, DTLS-SRTP, RTCP multiplexed on the RTP port).
enum class MediaPeer { rtp, webrtc };

struct OfferOptions {
    MediaPeer to = MediaPeer::rtp;    // the party the rewritten SDP goes to
    MediaPeer from = MediaPeer::rtp;  // the party whose SDP it is
    bool restart = false;  // the receiving browser is a new page (new ICE and DTLS): its side starts over
    bool record = false;  // "record call": rtpengine records the call from this offer on (RECORDING=all)
};

struct AnswerOptions {
    MediaPeer to = MediaPeer::rtp;    // the offerer, who receives the rewritten answer
    MediaPeer from = MediaPeer::rtp;  // the answering party
};

// Counters of what rtpengine received from one party (one tag) of a call.
struct PartyStats {
    std::string tag;                    // from-tag or to-tag
    std::string endpoint;               // where that party sends from / is sent to, "ip:port"; empty until known
    std::uint16_t local_port = 0;       // rtpengine's RTP port that receives from this party (0: unknown)
    std::uint64_t rtp_packets = 0;      // RTP received from this party
    std::uint64_t rtp_bytes = 0;
    std::uint64_t rtp_errors = 0;       // packets rtpengine could not relay
    std::uint64_t rtcp_packets = 0;
    std::uint32_t ssrc = 0;             // the RTP source this party sends as (0: none seen yet)
    // How this party's audio fared at the other party, from the other party's RTCP receiver reports (absent
    // when no report came): packets lost in all, and the average jitter.
    std::optional<std::uint64_t> lost;
    std::optional<double> jitter_ms;
};

struct CallStats {
    std::vector<PartyStats> parties;  // one per tag rtpengine knows for the call
    std::uint64_t total_rtp_packets = 0;
    std::uint64_t total_rtp_errors = 0;

    const PartyStats* party(const std::string& tag) const;
};

// Completions run on the adapter's own media thread, never on the caller's; a caller with a thread of its
// own (the SIP engine's su_root) posts the result back there itself. Every method may be called from any
// thread.
class MediaAnchor {
  public:
    using SdpCompletion = std::function<void(MediaResult<std::string>)>;
    using StatusCompletion = std::function<void(MediaStatus)>;
    using StatsCompletion = std::function<void(MediaResult<CallStats>)>;

    virtual ~MediaAnchor() = default;

    // The SDP of the party `from_tag` rewritten so that the other party sends its RTP to rtpengine.
    virtual void offer(const std::string& call_id, const std::string& from_tag, const std::string& sdp,
                       const OfferOptions& options, SdpCompletion done) = 0;
    // The answering party's (`to_tag`) SDP rewritten likewise, towards the offerer.
    virtual void answer(const std::string& call_id, const std::string& from_tag, const std::string& to_tag,
                        const std::string& sdp, const AnswerOptions& options, SdpCompletion done) = 0;
    // The call's media are released at once (no delete delay, so a recording's capture is complete when this
    // completes); its rtpengine is forgotten.
    virtual void remove(const std::string& call_id, StatusCompletion done) = 0;
    // Plays a file (music on hold) into the call for the party `tag` (the ng from-tag of "play media").
    virtual void play(const std::string& call_id, const std::string& tag, const std::string& file,
                      StatusCompletion done) = 0;
    virtual void stop_play(const std::string& call_id, const std::string& tag, StatusCompletion done) = 0;
    virtual void query(const std::string& call_id, StatsCompletion done) = 0;
    virtual void start_recording(const std::string& call_id, StatusCompletion done) = 0;
    virtual void stop_recording(const std::string& call_id, StatusCompletion done) = 0;
};

}  // namespace ff::media
