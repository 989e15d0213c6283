#include "app/operator_states.hpp"

#include <chrono>

namespace ff::app {

calls::OperatorBoardOptions operator_board_options(const config::ServiceConfig& config) {
    calls::OperatorBoardOptions options;
    options.wrapup = std::chrono::seconds(config.wrapup_seconds);
    options.busy_when.clear();
    for (const auto& name : config.busy_when) {
        if (const auto state = calls::parse_operator_state(name)) options.busy_when.insert(*state);
    }
    options.pause_reasons = config.pause_reasons;
    return options;
}

OperatorStates::OperatorStates(const config::ServiceConfig& config, calls::EventBus& bus, boost::asio::io_context& io)
    : board_(std::make_unique<calls::OperatorBoard>(
          operator_board_options(config),
          [&bus](const calls::OperatorStatus& status) { bus.publish(calls::OperatorEvent{status}); })),
      timer_(io) {
    bus.subscribe([board = board_.get()](const calls::Event& event) {
        if (!std::holds_alternative<calls::OperatorEvent>(event)) board->on_event(event, calls::now_ms());
    });
    arm();
}

OperatorStates::~OperatorStates() = default;

// Wrap-ups end within a second of their time; nothing is done while none runs but this light check.
void OperatorStates::arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](boost::system::error_code error) {
        if (error || stopped_) return;
        board_->tick(calls::now_ms());
        arm();
    });
}

void OperatorStates::stop() {
    stopped_ = true;
    timer_.cancel();
}

}  // namespace ff::app
