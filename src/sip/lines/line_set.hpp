// Every line of the service: follows the settings (add, re-register, remove) and keeps the board. SIP thread
// only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sip/lines/line.hpp"
#include "sip/lines/line_board.hpp"
#include "sip/lines/line_plan.hpp"
#include "sip/diagnosis/pbx_probe.hpp"

namespace ff::sip {

class LineSet {
  public:
    // Called after every change of the board, with the status after it and the events it caused.
    using Report = std::function<void(const calls::TelephonyStatus&, const LineBoard::Events&)>;

    LineSet(nua_t* nua, su_root_t* root, LineOptions options, Report report);
    ~LineSet();
    LineSet(const LineSet&) = delete;
    LineSet& operator=(const LineSet&) = delete;

    // Makes the running lines match `wanted`: removed ones un-register, changed ones un-register and then
    // register anew (the same Contact must not be removed after it was registered again), new ones register.
    void apply(const std::vector<LineConfig>& wanted);

    // Un-registers every line; `done` runs (on the SIP thread) once none is waiting for the PBX any more.
    void stop_all(std::function<void()> done);

    // How many phones of `extension` are registered to the service (shown as device_registered).
    void set_device_phones(const std::string& extension, int phones);

    calls::TelephonyStatus status() const { return board_.status(); }

  private:
    std::unique_ptr<Line> make_line(const LineConfig& config);
    void retire(std::unique_ptr<Line> line);
    void schedule_sweep();
    void sweep();
    void on_line_state(const calls::LineState& state);
    void publish(const LineBoard::Events& events);
    void follow_pbx();
    void on_pbx_verdict(PbxProbeMachine::Verdict verdict, const std::string& detail);
    bool retiring(const std::string& extension) const;

    static void sweep_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    nua_t* nua_;
    su_root_t* root_;
    LineOptions options_;
    Report report_;
    LineBoard board_;
    std::vector<std::unique_ptr<Line>> active_;    // in the settings' order
    std::vector<std::unique_ptr<Line>> retiring_;  // un-registering; dropped once finished
    std::unique_ptr<PbxProbe> probe_;  // asks the lines' PBX whether it is there; none without a PBX
    su_timer_t* sweep_timer_ = nullptr;            // a line may finish inside its own callback: sweep later
    std::function<void()> stopped_;
    std::map<std::string, int> device_phones_;  // extension -> phones registered to the service
};

}  // namespace ff::sip
