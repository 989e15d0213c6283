#include "app/operator_states.hpp"

#include <spdlog/spdlog.h>

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

OperatorStates::OperatorStates(const config::ServiceConfig& config, calls::EventBus& bus, store::StoreWorker& store,
                               boost::asio::io_context& io)
    : board_(std::make_unique<calls::OperatorBoard>(operator_board_options(config),
                                                    [&bus, &store](const calls::OperatorStatus& status) {
                                                        bus.publish(calls::OperatorEvent{status});
                                                        write(store, status);
                                                    })),
      timer_(io) {
    // A service that stopped left its operators' last stretches open: they end now, as far as anyone knows.
    store.post([at = calls::now_ms()](store::Storage& storage) {
        if (auto closed = storage.close_operator_states(at); !closed)
            spdlog::warn("operator states: cannot close the stretches left open: {}", closed.error().message);
    });
    bus.subscribe([board = board_.get()](const calls::Event& event) {
        if (!std::holds_alternative<calls::OperatorEvent>(event)) board->on_event(event, calls::now_ms());
    });
    arm();
}

OperatorStates::~OperatorStates() = default;

// A write that fails (the database away) loses that stretch's start: the statistics miss it, nothing else does.
void OperatorStates::write(store::StoreWorker& store, const calls::OperatorStatus& status) {
    store.post([status](store::Storage& storage) {
        if (auto written = storage.record_operator_state(status); !written)
            spdlog::warn("operator states: {} {} not written: {}", status.extension, calls::to_string(status.state),
                         written.error().message);
    });
}

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
