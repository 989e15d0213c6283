// The operators' states for the whole service: the board (calls/operator_board.hpp) fed by the event bus,
// its changes published back on the bus as operator:state and written to the database (the time in each
// state, for the statistics), and a timer that ends the wrap-ups.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "calls/event_bus.hpp"
#include "calls/operator_board.hpp"
#include "config/service_config.hpp"
#include "store/store_worker.hpp"

namespace ff::app {

// WRAPUP_SECONDS, BUSY_WHEN and PAUSE_REASONS as the board takes them.
calls::OperatorBoardOptions operator_board_options(const config::ServiceConfig& config);

class OperatorStates {
  public:
    // Subscribes to `bus` at once: create it before anything publishes calls or lines.
    OperatorStates(const config::ServiceConfig& config, calls::EventBus& bus, store::StoreWorker& store,
                   boost::asio::io_context& io);
    ~OperatorStates();
    OperatorStates(const OperatorStates&) = delete;
    OperatorStates& operator=(const OperatorStates&) = delete;

    calls::OperatorBoard& board() { return *board_; }
    void stop();  // the timer stops (shutdown)

    // With several instances. `phone_elsewhere`: the extension's phone is registered at another instance (so
    // the operator is not offline here). `records`: this instance writes the extension's stretches (the one
    // that takes the operator's calls), so that a shared database counts each stretch once.
    struct Cluster {
        std::function<bool(const std::string& extension)> phone_elsewhere;
        std::function<bool(const std::string& extension)> records;
    };
    void join(Cluster cluster);
    // Another instance's call or line event (a line's phone counted wherever it is registered).
    void feed(const calls::Event& event);

  private:
    void write(const calls::OperatorStatus& status);
    void see(const calls::Event& event);
    void arm();

    store::StoreWorker& store_;
    mutable std::mutex cluster_mutex_;
    Cluster cluster_;
    std::unique_ptr<calls::OperatorBoard> board_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

}  // namespace ff::app
