// Routes spdlog's default logger into memory for the life of the object, so a test can read what was logged.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <memory>
#include <string>

namespace ff::testing {

class CapturedLog {
  public:
    explicit CapturedLog(std::size_t lines = 256)
        : previous_(spdlog::default_logger()), sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(lines)) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    // Every line kept so far, in order.
    std::string text() const {
        std::string all;
        for (const auto& line : sink_->last_formatted()) all += line;
        return all;
    }

  private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

}  // namespace ff::testing
