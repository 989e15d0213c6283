// Whether the PBX is there, judged from its answers to our periodic OPTIONS, without any SIP: a PBX that
// stops answering is lost after a few silent probes, and is back at its first answer.
#pragma once

namespace ff::sip {

class PbxProbeMachine {
  public:
    enum class Verdict {
        none,      // nothing changed
        pbx_lost,  // the PBX stopped answering: its registrations cannot be trusted any more
        pbx_back,  // the PBX answers again after it was lost: register every line at once
    };

    // `silent_probes_to_lose`: unanswered probes in a row after which the PBX is taken as gone (at least 1).
    explicit PbxProbeMachine(int silent_probes_to_lose = 2);

    // Any answer from the PBX itself, whatever its status (a 404 or 405 still proves it is there).
    Verdict on_answer();
    // No answer in time, or only one the SIP stack made up (timeout, transport error).
    Verdict on_silence();

    bool reachable() const { return reachable_; }
    int silent_probes() const { return silent_probes_; }

  private:
    int silent_probes_to_lose_;
    int silent_probes_ = 0;
    bool reachable_ = true;  // until a probe says otherwise: the registrations report their own failures
};

}  // namespace ff::sip
