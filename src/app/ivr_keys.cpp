#include "app/ivr_keys.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "calls/call_state_machine.hpp"
#include "media/key_report.hpp"
#include "media/media_anchor.hpp"

namespace ff::app {

MediaPlane::KeyHandler ivr_keys(calls::CallRegistry& registry, boost::asio::io_context& io) {
    return [&registry, &io](media::KeyReport report) {
        // The operator's keys (a phone's keypad during the talk) are not the caller's choice.
        if (report.source_tag != media::customer_tag) return;
        boost::asio::post(io, [&registry, report = std::move(report)] {
            const auto pressed = registry.apply(report.call_id, calls::transition::KeyPressed{report.key});
            if (pressed) {
                spdlog::info("call {}: the caller pressed {}; IVR choice {}", report.call_id, report.key,
                             pressed->ivr_choice);
            } else {
                // Pressed after the answer, or on a call of another kind: expected, not worth more than debug.
                spdlog::debug("call {}: key {} not taken: {}", report.call_id, report.key, pressed.error().message);
            }
        });
    };
}

}  // namespace ff::app
