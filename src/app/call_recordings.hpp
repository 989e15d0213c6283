// RECORDING: a recorded call's captures become its stereo file once the call is over, off the network and
// SIP threads; the call log and the stream learn the result (ready with its length and size, or failed with
// the reason). Recordings older than RECORDING_RETENTION_DAYS are deleted every hour.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>

#include "calls/event_bus.hpp"
#include "sip/bridge/call_media.hpp"
#include "store/store_worker.hpp"

namespace ff::config {
struct ServiceConfig;
}

namespace ff::app {

// RECORDING_DIR, or DATA_DIR/recordings when it is unset.
std::filesystem::path recording_dir(const config::ServiceConfig& config);

class CallRecordings {
  public:
    // Creates the directories rtpengine records into; an error names the one that cannot be made.
    static calls::Result<std::unique_ptr<CallRecordings>> start(const config::ServiceConfig& config,
                                                                store::StoreWorker& store, calls::EventBus& bus,
                                                                boost::asio::io_context& io);
    ~CallRecordings();  // finishes the conversions already queued
    CallRecordings(const CallRecordings&) = delete;
    CallRecordings& operator=(const CallRecordings&) = delete;

    // A recorded call's media were let go (any thread).
    void finished(sip::RecordedCall call);
    // With several instances: this one's id, written on each recording it keeps so that the others send
    // requests for it here. Before the first call.
    void keep_as(std::string instance) { instance_ = std::move(instance); }

  private:
    CallRecordings(std::filesystem::path dir, int retention_days, store::StoreWorker& store, calls::EventBus& bus,
                   boost::asio::io_context& io);
    void convert(const sip::RecordedCall& call);
    void keep(const std::string& call_id, calls::Recording recording, int attempt);
    void remove_old_soon();

    std::filesystem::path dir_;
    std::string instance_;
    int retention_days_;
    store::StoreWorker& store_;
    calls::EventBus& bus_;
    boost::asio::io_context& io_;
    boost::asio::steady_timer retention_timer_;
    boost::asio::thread_pool workers_{1};  // conversions, one at a time: each takes a core for a moment
};

}  // namespace ff::app
