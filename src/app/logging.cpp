// One formatter for both log formats so that redaction can never be skipped by a format choice.
#include "app/logging.hpp"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ff::app {
namespace {

std::string utc_timestamp(spdlog::log_clock::time_point time) {
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
    return text;
}

class RedactingFormatter final : public spdlog::formatter {
public:
    explicit RedactingFormatter(config::LogFormat format) : format_(format) {}

    void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override {
        const std::string text = redact_secrets(std::string_view(message.payload.data(), message.payload.size()));
        const auto level = spdlog::level::to_string_view(message.level);
        std::string line;
        if (format_ == config::LogFormat::json) {
            line = nlohmann::json{{"time", utc_timestamp(message.time)},
                                  {"level", std::string_view(level.data(), level.size())},
                                  {"message", text}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
            line = utc_timestamp(message.time) + " " + std::string(level.data(), level.size()) + " " + text;
        }
        line.push_back('\n');
        out.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<RedactingFormatter>(format_);
    }

private:
    config::LogFormat format_;
};

}  // namespace

std::string redact_secrets(std::string_view text) {
    static const std::regex bearer(R"re((Bearer\s+)[^\s"',]+)re", std::regex::icase);
    static const std::regex api_token(R"(fft_[A-Za-z0-9_-]{8,})");
    static const std::regex url_password(R"(([a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@)", std::regex::icase);
    static const std::regex password_field(R"re(((?:password|secret|token)"?\s*[:=]\s*"?)[^\s",}]+)re",
                                           std::regex::icase);
    std::string result(text);
    // Fast path: most log lines contain none of the markers.
    if (result.find("earer") == std::string::npos && result.find("fft_") == std::string::npos &&
        result.find('@') == std::string::npos && result.find("assword") == std::string::npos &&
        result.find("ecret") == std::string::npos && result.find("oken") == std::string::npos) {
        return result;
    }
    result = std::regex_replace(result, bearer, "$1***");
    result = std::regex_replace(result, api_token, "fft_***");
    result = std::regex_replace(result, url_password, "$1***@");
    result = std::regex_replace(result, password_field, "$1***");
    return result;
}

void setup_logging(const std::string& level, config::LogFormat format) {
    auto logger = std::make_shared<spdlog::logger>("pjsip-service", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(std::make_unique<RedactingFormatter>(format));
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace ff::app
