// The keys a caller presses while waiting for an operator (MEDIA=rtpengine), made into the call's IVR choice.
#pragma once

#include <boost/asio/io_context.hpp>

#include "app/media_plane.hpp"
#include "calls/call_registry.hpp"

namespace ff::app {

// Hands each key the customer's side of a call pressed to the call model, on `io`; the model keeps the keys
// pressed while the call rings (README "IVR choice").
MediaPlane::KeyHandler ivr_keys(calls::CallRegistry& registry, boost::asio::io_context& io);

}  // namespace ff::app
