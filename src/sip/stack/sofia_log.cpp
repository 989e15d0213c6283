// Sofia logs in fragments through a printf-style callback; whole lines are handed to spdlog.
#include "sip/stack/sofia_log.hpp"

#include <sofia-sip/su_log.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace ff::sip {
namespace {

[[gnu::format(printf, 2, 0)]] void forward(void*, const char* format, va_list arguments) {
    thread_local std::string pending;
    char buffer[1024];
    va_list copy;
    va_copy(copy, arguments);
    const int length = std::vsnprintf(buffer, sizeof buffer, format, copy);
    va_end(copy);
    if (length < 0) return;
    pending.append(buffer, std::min(static_cast<std::size_t>(length), sizeof buffer - 1));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
        // The digest module's traces carry password hashes: never forwarded.
        const bool digest_trace = pending.starts_with("auth_") || pending.starts_with("A2 = ");
        if (newline > 0 && !digest_trace) spdlog::debug("sofia-sip: {}", pending.substr(0, newline));
        pending.erase(0, newline + 1);
    }
}

}  // namespace

void route_sofia_log_to_service_log() {
    su_log_redirect(nullptr, &forward, nullptr);
}

}  // namespace ff::sip
