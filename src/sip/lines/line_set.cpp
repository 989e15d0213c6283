// Reconciling lines with the settings, and retiring lines without racing their successors.
#include "sip/lines/line_set.hpp"

#include <algorithm>

namespace ff::sip {

LineSet::LineSet(nua_t* nua, su_root_t* root, LineOptions options, Report report)
    : nua_(nua),
      root_(root),
      options_(options),
      report_(std::move(report)),
      sweep_timer_(su_timer_create(su_root_task(root), 0)) {}

LineSet::~LineSet() {
    probe_.reset();
    active_.clear();
    retiring_.clear();
    if (sweep_timer_) su_timer_destroy(sweep_timer_);
}

std::unique_ptr<Line> LineSet::make_line(const LineConfig& config) {
    return std::make_unique<Line>(nua_, root_, config, options_,
                                  [this](const calls::LineState& state) { on_line_state(state); });
}

void LineSet::set_device_phones(const std::string& extension, int phones) {
    if (phones > 0) {
        device_phones_[extension] = phones;
    } else {
        device_phones_.erase(extension);
    }
    const calls::LineState* known = board_.find(extension);
    if (known == nullptr) return;  // not a line (any more): nothing to show
    calls::LineState state = *known;
    state.device_registered = phones > 0;
    publish(board_.update(state));
}

void LineSet::on_line_state(const calls::LineState& reported) {
    calls::LineState state = reported;
    state.device_registered = device_phones_.count(state.extension) > 0;
    const calls::LineState* before = board_.find(state.extension);
    const bool came_up = state.registered && (before == nullptr || !before->registered);
    publish(board_.update(state));
    if (!came_up) return;
    // One line got through, so its PBX is back: the others waiting on it need not sit out their backoff.
    const Line* registered = nullptr;
    for (const auto& line : active_) {
        if (line->config().extension() == state.extension) registered = line.get();
    }
    if (registered == nullptr) return;
    for (auto& line : active_) {
        const auto& config = line->config();
        const auto& reached = registered->config();
        if (line.get() != registered && line->waiting_to_retry() && config.server == reached.server &&
            config.port == reached.port && config.transport == reached.transport)
            line->retry_now();
    }
}

void LineSet::apply(const std::vector<LineConfig>& wanted) {
    std::vector<LineConfig> running;
    for (const auto& line : active_) running.push_back(line->config());
    const LinePlan plan = plan_lines(running, wanted);

    const auto take = [this](const std::string& extension) {
        const auto found = std::find_if(active_.begin(), active_.end(), [&](const auto& line) {
            return line->config().extension() == extension;
        });
        std::unique_ptr<Line> line = std::move(*found);
        active_.erase(found);
        return line;
    };
    for (const auto& extension : plan.removed) {
        retire(take(extension));
        publish(board_.remove(extension));
    }
    for (const auto& config : plan.reregistered) {
        retire(take(config.extension()));
        auto line = make_line(config);
        calls::LineState waiting = line->state();
        waiting.detail = "re-registering with the new settings";
        publish(board_.update(waiting));
        active_.push_back(std::move(line));
    }
    for (const auto& config : plan.added) active_.push_back(make_line(config));
    for (const auto& config : plan.relabelled) {
        for (auto& line : active_) {
            if (line->config().extension() == config.extension()) line->relabel(config.user.display_name);
        }
    }
    // Keep the settings' order, so the status lists lines as the settings page does.
    std::stable_sort(active_.begin(), active_.end(), [&wanted](const auto& a, const auto& b) {
        const auto position = [&wanted](const std::string& extension) {
            return std::find_if(wanted.begin(), wanted.end(),
                                [&](const LineConfig& line) { return line.extension() == extension; }) -
                   wanted.begin();
        };
        return position(a->config().extension()) < position(b->config().extension());
    });
    follow_pbx();
    sweep();
}

void LineSet::follow_pbx() {
    const auto with_pbx = std::find_if(active_.begin(), active_.end(),
                                       [](const auto& line) { return !line->config().server.empty(); });
    if (with_pbx == active_.end() || options_.pbx_probe_interval.count() <= 0) {
        probe_.reset();
        return;
    }
    // Every line registers to the one PBX of the settings: one probe speaks for all of them.
    const LineConfig& pbx = (*with_pbx)->config();
    if (probe_ && probe_->target().server == pbx.server && probe_->target().port == pbx.port &&
        probe_->target().transport == pbx.transport)
        return;
    probe_ = std::make_unique<PbxProbe>(
        nua_, root_, pbx, options_.pbx_probe_interval,
        [this](PbxProbeMachine::Verdict verdict, const std::string& detail) { on_pbx_verdict(verdict, detail); });
}

void LineSet::on_pbx_verdict(PbxProbeMachine::Verdict verdict, const std::string& detail) {
    for (auto& line : active_) {
        if (verdict == PbxProbeMachine::Verdict::pbx_lost) line->pbx_lost(detail);
        if (verdict == PbxProbeMachine::Verdict::pbx_back) line->pbx_back();
    }
}

void LineSet::stop_all(std::function<void()> done) {
    stopped_ = std::move(done);
    probe_.reset();  // no probing while the lines say goodbye
    while (!active_.empty()) {
        retire(std::move(active_.back()));
        active_.pop_back();
    }
    sweep();
}

void LineSet::retire(std::unique_ptr<Line> line) {
    line->stop([this] { schedule_sweep(); });
    retiring_.push_back(std::move(line));
}

void LineSet::schedule_sweep() {
    // Zero delay: runs on the next turn of the loop, after the callback that finished a line has returned.
    if (sweep_timer_) su_timer_set_interval(sweep_timer_, &LineSet::sweep_fired, this, 0);
}

void LineSet::sweep_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<LineSet*>(arg)->sweep();
}

void LineSet::sweep() {
    std::erase_if(retiring_, [](const auto& line) { return line->finished(); });
    for (auto& line : active_) {
        if (!line->started() && !retiring(line->config().extension())) line->start();
    }
    if (retiring_.empty() && active_.empty() && stopped_) {
        auto done = std::move(stopped_);
        stopped_ = nullptr;
        done();
    }
}

bool LineSet::retiring(const std::string& extension) const {
    return std::any_of(retiring_.begin(), retiring_.end(),
                       [&](const auto& line) { return line->config().extension() == extension; });
}

void LineSet::publish(const LineBoard::Events& events) {
    if (!events.empty() && report_) report_(board_.status(), events);
}

}  // namespace ff::sip
