// Sofia-SIP's own log lines go to the service's log instead of straight to stderr.
#pragma once

namespace ff::sip {

// Process-wide; idempotent. Lines arrive at debug level, prefixed "sofia-sip:".
void route_sofia_log_to_service_log();

}  // namespace ff::sip
