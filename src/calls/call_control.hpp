// What the API may ask of the SIP engine. The SIP engine implements it; until then UnavailableCallControl.
#pragma once

#include <functional>
#include <string>

#include "calls/call.hpp"
#include "calls/connection_check.hpp"
#include "calls/result.hpp"
#include "calls/telephony_status.hpp"

namespace ff::calls {

struct DialRequest {
    std::string extension;    // operator whose phone rings first and whose line calls out
    std::string destination;  // number as normalised by the API (E.164 or extension)
    std::string typed;        // the number as the operator wrote it (DIAL_FORMAT=as_typed sends its digits)
    bool auto_answer = false;
    // A browser phone's device id (calls/browser_phone.hpp): that page alone rings, and answers by itself.
    std::string browser_phone;
};

// Every command completes asynchronously, possibly on another thread: the SIP engine runs its own loop.
// A command refused by the call's state completes with ErrorCode::invalid_state and changes nothing.
class CallControl {
  public:
    using Completion = std::function<void(Result<Call>)>;

    virtual ~CallControl() = default;

    virtual void dial(DialRequest request, Completion done) = 0;
    virtual void answer(std::string call_id, Completion done) = 0;
    virtual void hangup(std::string call_id, Completion done) = 0;
    virtual void hold(std::string call_id, Completion done) = 0;
    virtual void unhold(std::string call_id, Completion done) = 0;
    virtual void transfer(std::string call_id, std::string target, Completion done) = 0;
    // Attended transfer: the customer holds (music with rtpengine) while the operator's phone calls `target`;
    // then settle_transfer joins the customer and the target (complete) or brings the operator back (!complete).
    virtual void consult(std::string call_id, std::string target, Completion done) = 0;
    virtual void settle_transfer(std::string call_id, bool complete, Completion done) = 0;

    // The call as it is now, its `media` holding what rtpengine has counted so far (judged as if the call
    // ended now). Only an engine whose calls go through rtpengine can: the others answer "unavailable".
    virtual void media(std::string call_id, Completion done) {
        done(make_error(ErrorCode::unavailable, "call " + call_id +
                                                    ": no media counters, the service does not carry the audio "
                                                    "(MEDIA=passthrough)"));
    }

    // Starts (on) or stops recording the call (RECORDING=on-demand or all); the call comes back with its
    // recording's state. Only an engine whose calls go through rtpengine can: the others answer "unavailable".
    virtual void record(std::string call_id, bool on, Completion done) {
        (void)on;
        done(make_error(ErrorCode::unavailable, "call " + call_id +
                                                    ": cannot be recorded, the service does not carry the audio "
                                                    "(MEDIA=passthrough)"));
    }

    // Lines and phones as they are now (for /health and the settings page). Safe from any thread.
    virtual TelephonyStatus status() const = 0;

    // Tries the request's PBX and accounts without touching the lines; `done` gets the report, or the reason
    // no check could run. Only an engine that speaks SIP can check: the others answer "unavailable".
    using CheckCompletion = std::function<void(Result<ConnectionReport>)>;
    virtual void check_connection(ConnectionCheckRequest, CheckCompletion done) {
        done(make_error(ErrorCode::unavailable,
                        "cannot test the connection: the SIP engine is not running, so nothing can reach the PBX"));
    }
};

// The control used while the service runs without a SIP engine: every command answers "unavailable".
class UnavailableCallControl final : public CallControl {
  public:
    void dial(DialRequest, Completion done) override { refuse(done); }
    void answer(std::string, Completion done) override { refuse(done); }
    void hangup(std::string, Completion done) override { refuse(done); }
    void hold(std::string, Completion done) override { refuse(done); }
    void unhold(std::string, Completion done) override { refuse(done); }
    void transfer(std::string, std::string, Completion done) override { refuse(done); }
    void consult(std::string, std::string, Completion done) override { refuse(done); }
    void settle_transfer(std::string, bool, Completion done) override { refuse(done); }
    TelephonyStatus status() const override { return {}; }

  private:
    static void refuse(const Completion& done) {
        done(make_error(ErrorCode::unavailable,
                        "call control is not available: the SIP engine is not running"));
    }
};

}  // namespace ff::calls
