// A real rtpengine on 127.0.0.1 for the media tests, and a way to run an io_context until something happened.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "media/rtpengine_process.hpp"

namespace ff::testing {

// A small RTP port range of its own per test process, so that tests running side by side do not share one;
// below the ng ports (22000 and up) and the kernel's ephemeral ports (32768 and up).
inline media::RtpengineProcessSettings test_rtpengine_settings() {
    media::RtpengineProcessSettings settings;
    settings.address = "127.0.0.1";
    settings.port_min = static_cast<std::uint16_t>(10000 + (::getpid() % 500) * 20);
    settings.port_max = static_cast<std::uint16_t>(settings.port_min + 19);
    return settings;
}

// Started, or the test fails saying why (a missing binary included: these tests are never skipped).
inline std::unique_ptr<media::RtpengineProcess> start_test_rtpengine(
    media::RtpengineProcessSettings settings = test_rtpengine_settings()) {
    auto process = std::make_unique<media::RtpengineProcess>(std::move(settings));
    const auto started = process->start();
    EXPECT_TRUE(started.ok()) << "cannot start rtpengine for the test: " << started.error().message;
    return started ? std::move(process) : nullptr;
}

// Runs `io` until `done()` holds, at most `limit`; true when it held.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
    return done();
}

}  // namespace ff::testing
