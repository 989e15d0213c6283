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
    : store_(store),
      board_(std::make_unique<calls::OperatorBoard>(operator_board_options(config),
                                                    [this, &bus](const calls::OperatorStatus& status) {
                                                        bus.publish(calls::OperatorEvent{status});
                                                        write(status);
                                                    })),
      timer_(io) {
    // A service that stopped left its operators' last stretches open: they end now, as far as anyone knows.
    store.post([at = calls::now_ms()](store::Storage& storage) {
        if (auto closed = storage.close_operator_states(at); !closed)
            spdlog::warn("operator states: cannot close the stretches left open: {}", closed.error().message);
    });
    bus.subscribe([this](const calls::Event& event) {
        if (!std::holds_alternative<calls::OperatorEvent>(event)) see(event);
    });
    arm();
}

void OperatorStates::join(Cluster cluster) {
    std::lock_guard lock(cluster_mutex_);
    cluster_ = std::move(cluster);
}

void OperatorStates::feed(const calls::Event& event) {
    if (std::holds_alternative<calls::CallEvent>(event) || std::holds_alternative<calls::TelephonyEvent>(event))
        see(event);
}

// A line's phone counts wherever it is registered: a line event saying "none here" leaves the operator on
// line when the phone is at another instance.
void OperatorStates::see(const calls::Event& event) {
    const auto* telephony = std::get_if<calls::TelephonyEvent>(&event);
    if (telephony != nullptr && telephony->kind == calls::TelephonyEvent::Kind::line_changed &&
        !telephony->line.device_registered) {
        std::function<bool(const std::string&)> elsewhere;
        {
            std::lock_guard lock(cluster_mutex_);
            elsewhere = cluster_.phone_elsewhere;
        }
        if (elsewhere && elsewhere(telephony->line.extension)) {
            calls::TelephonyEvent seen = *telephony;
            seen.line.device_registered = true;
            return board_->on_event(seen, calls::now_ms());
        }
    }
    board_->on_event(event, calls::now_ms());
}

OperatorStates::~OperatorStates() = default;

// A write that fails (the database away) loses that stretch's start: the statistics miss it, nothing else does.
// Which instance records is asked on the storage thread, away from the board's and the engine's locks.
void OperatorStates::write(const calls::OperatorStatus& status) {
    std::function<bool(const std::string&)> records;
    {
        std::lock_guard lock(cluster_mutex_);
        records = cluster_.records;
    }
    store_.post([status, records = std::move(records)](store::Storage& storage) {
        if (records && !records(status.extension)) return;
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
