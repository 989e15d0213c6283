#include "app/call_recordings.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <cmath>
#include <system_error>

#include "config/service_config.hpp"
#include "recordings/recording_converter.hpp"
#include "recordings/recording_files.hpp"

namespace ff::app {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

constexpr auto retention_check_every = std::chrono::hours(1);
constexpr int store_attempts = 5;  // the call log away: the result is written again, 5 s, 10 s, ... later

calls::Recording failed(std::string reason) {
    calls::Recording recording{calls::RecordingStatus::failed, 0, 0, {}, {}};
    recording.reason = std::move(reason);
    return recording;
}

}  // namespace

fs::path recording_dir(const config::ServiceConfig& config) {
    if (!config.recording_dir.empty()) return fs::absolute(config.recording_dir);
    return fs::absolute(fs::path(config.data_dir) / "recordings");
}

calls::Result<std::unique_ptr<CallRecordings>> CallRecordings::start(const config::ServiceConfig& config,
                                                                     store::StoreWorker& store,
                                                                     calls::EventBus& bus, asio::io_context& io) {
    const fs::path dir = recording_dir(config);
    std::error_code error;
    fs::create_directories(recordings::captures_dir(dir), error);
    if (error)
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "cannot create the recordings directory " + dir.string() + " (RECORDING_DIR): " +
                                     error.message());
    std::unique_ptr<CallRecordings> desk(new CallRecordings(dir, config.recording_retention_days, store, bus, io));
    desk->remove_old_soon();
    return desk;
}

CallRecordings::CallRecordings(fs::path dir, int retention_days, store::StoreWorker& store, calls::EventBus& bus,
                               asio::io_context& io)
    : dir_(std::move(dir)), retention_days_(retention_days), store_(store), bus_(bus), io_(io), retention_timer_(io) {}

CallRecordings::~CallRecordings() {
    retention_timer_.cancel();
    workers_.join();
}

void CallRecordings::finished(sip::RecordedCall call) {
    asio::post(workers_, [this, call = std::move(call)] { convert(call); });
}

void CallRecordings::convert(const sip::RecordedCall& call) {
    const auto files = recordings::find_captures(recordings::captures_dir(dir_), call.call_id);
    if (call.wanted) {
        calls::Recording result;
        const auto output = recordings::recording_file(dir_, call.call_id);
        if (!output) {
            result = failed("the call id is not one the service makes");
        } else if (files.captures.empty() && !call.failure.empty()) {
            result = failed("the call's audio did not go through rtpengine: " + call.failure);
        } else {
            const auto started = std::chrono::steady_clock::now();
            auto written = recordings::convert_recording(
                recordings::RecordingSources{files.captures, call.customer_ports, call.operator_ports}, *output);
            if (written) {
                result = calls::Recording{calls::RecordingStatus::ready, 0, 0, {}, {}};
                result.duration_ms = std::llround(written.value().duration_seconds * 1000);
                result.bytes = written.value().bytes;
                const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started);
                spdlog::info("recording: call {}: {:.1f} s, {} bytes, made in {} ms", call.call_id,
                             written.value().duration_seconds, written.value().bytes, took.count());
            } else {
                result = failed(written.error());
            }
        }
        if (result.status == calls::RecordingStatus::failed)
            spdlog::warn("recording: call {}: failed: {}", call.call_id, result.reason);
        result.instance = instance_;
        keep(call.call_id, std::move(result), 1);
    }
    for (const auto& left : recordings::remove_captures(files))
        spdlog::warn("recording: call {}: cannot remove the capture {}", call.call_id, left.string());
}

void CallRecordings::keep(const std::string& call_id, calls::Recording recording, int attempt) {
    auto job = [this, call_id, recording, attempt](store::Storage& storage) {
        auto call = storage.set_recording(call_id, recording);
        if (!call) {
            if (attempt >= store_attempts || call.error().code == calls::ErrorCode::not_found) {
                spdlog::error("recording: call {}: its recording's state is not in the call log: {}", call_id,
                              call.error().message);
                return;
            }
            return keep(call_id, recording, attempt + 1);
        }
        asio::post(io_, [this, call = std::move(call).value()] {
            bus_.publish(calls::CallEvent{calls::CallEventKind::updated, call, {}, {}, true});
        });
    };
    if (attempt == 1) return store_.post(std::move(job));
    store_.post_after(std::chrono::seconds(5) * (attempt - 1), std::move(job));
}

void CallRecordings::remove_old_soon() {
    if (retention_days_ <= 0) return;
    asio::post(workers_, [this] {
        const auto removed = recordings::remove_old_recordings(dir_, retention_days_, fs::file_time_type::clock::now());
        if (removed > 0)
            spdlog::info("recording: {} recording(s) older than {} days deleted (RECORDING_RETENTION_DAYS)", removed,
                         retention_days_);
    });
    retention_timer_.expires_after(retention_check_every);
    retention_timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error) remove_old_soon();
    });
}

}  // namespace ff::app
