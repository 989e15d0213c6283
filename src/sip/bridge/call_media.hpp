// One call's media as the bridge asks for it: the SDP one party sent, made fit for the other party. Without
// rtpengine the SDP passes through untouched, at once. With it, every offer and answer goes through rtpengine
// and the result comes back later, on the SIP thread. When rtpengine fails, the call goes on with its SDP
// passed through (no anchoring, no music, no recording) and says why.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"

namespace ff::media {
class MediaAnchor;
}

namespace ff::sip {

enum class MediaParty { customer, operator_side };

// A recorded call whose media rtpengine has let go of, so that its captures are complete: what turning them
// into the call's file needs besides the files themselves.
struct RecordedCall {
    std::string call_id;
    std::vector<std::uint16_t> customer_ports;  // rtpengine's ports that received the customer's audio
    std::vector<std::uint16_t> operator_ports;  // ... and the operator side's
    std::string failure;  // why the call's audio did not go through rtpengine, when it did not
    bool wanted = false;  // the call ended with its recording processing (answered); else the captures go
};

struct CallMediaContext {
    media::MediaAnchor* anchor = nullptr;               // null: MEDIA=passthrough
    std::function<void(std::function<void()>)> post;  // runs a job on the SIP thread
    std::string music_on_hold;                         // MOH_FILE
    std::function<void(const std::string& reason)> failed;  // rtpengine failed a call (health: degraded)
    bool closing = false;  // the stack shuts down: calls end at once, without waiting for rtpengine's counters
    bool record_all = false;  // RECORDING=all: every anchored call is recorded from its first offer
    std::function<void(RecordedCall)> recorded;  // a recorded call's media were let go (any thread)
};

class CallMedia {
  public:
    using Then = std::function<void(const std::string& sdp)>;
    using ReportThen = std::function<void(std::optional<calls::MediaReport>)>;
    using FinishThen = std::function<void(std::optional<calls::MediaReport>, std::optional<RecordedCall>)>;

    CallMedia(const CallMediaContext& context, std::string call_id);
    ~CallMedia();
    CallMedia(const CallMedia&) = delete;
    CallMedia& operator=(const CallMedia&) = delete;

    // The SDP `from` offered, made fit for the other party. An empty SDP (an offerless INVITE) stays empty.
    void offer(MediaParty from, const std::string& sdp, Then then);
    // The SDP the other party answered `offerer` with, made fit for `offerer`.
    void answer(MediaParty offerer, const std::string& sdp, Then then);
    // Music on hold for `party` (the customer, while the operator holds): rtpengine plays MOH_FILE to it.
    void start_music(MediaParty party);
    void stop_music(MediaParty party);
    // What each direction carried so far, from rtpengine's counters (not yet assessed: the call model knows
    // whether the call was answered). `then` runs on the SIP thread, with nullopt for a call rtpengine does
    // not anchor (pass-through, failed, released) or whose counters it could not give; it may outlive the
    // bridge, and is not run when the stack is gone before rtpengine answers.
    void read_report(ReportThen then);
    // Starts (on) or stops rtpengine's recording of the call; `then` runs on the SIP thread with why it could
    // not, empty when it did. A call recorded at any time goes on to its file after its end.
    void record(bool on, std::function<void(const std::string& failure)> then);
    // The call is over: rtpengine forgets it. Later calls of offer() or answer() pass SDP through.
    void release();
    // The call's end: its last counters read, then its media released; `then` runs on the SIP thread with
    // the report (as read_report) and, for a call that was recorded, what its recording needs.
    void finish(FinishThen then);

    // What the bridge last sent to `party`, after rtpengine: re-INVITEs of its own (hold) reuse it.
    const std::string& last_sent_to(MediaParty party) const;
    bool anchored() const;
    bool plays_music() const;  // anchored, with a MOH_FILE
    bool records_from_start() const;  // RECORDING=all with rtpengine: the call is recorded from its first offer
    const std::string& failure() const;  // why the call is no longer anchored; empty while it is (or never was)

  private:
    struct State;
    void rewrite(bool is_offer, MediaParty party, const std::string& sdp, Then then);

    const CallMediaContext& context_;
    std::string call_id_;
    std::shared_ptr<State> state_;  // shared with completions in flight, which find it gone after the call
};

}  // namespace ff::sip
