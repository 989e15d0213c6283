// The PBX probe's decisions: lost after N silent probes in a row, back at the first answer.
#include "sip/diagnosis/pbx_probe_machine.hpp"

#include <algorithm>

namespace ff::sip {

PbxProbeMachine::PbxProbeMachine(int silent_probes_to_lose)
    : silent_probes_to_lose_(std::max(1, silent_probes_to_lose)) {}

PbxProbeMachine::Verdict PbxProbeMachine::on_answer() {
    silent_probes_ = 0;
    if (reachable_) return Verdict::none;
    reachable_ = true;
    return Verdict::pbx_back;
}

PbxProbeMachine::Verdict PbxProbeMachine::on_silence() {
    ++silent_probes_;
    if (!reachable_ || silent_probes_ < silent_probes_to_lose_) return Verdict::none;
    reachable_ = false;
    return Verdict::pbx_lost;
}

}  // namespace ff::sip
