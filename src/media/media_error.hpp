// The error of a media operation and the result type the media adapter returns (no exceptions inside).
#pragma once

#include <string>

#include "calls/result.hpp"

namespace ff::media {

enum class MediaErrorKind {
    timeout,      // rtpengine did not answer before the deadline (retransmissions included)
    rejected,     // rtpengine answered {"result":"error"}; the message carries its error-reason
    bad_answer,   // the answer was not ng JSON we understand
    unavailable,  // no rtpengine to ask: none alive, address unresolved, socket failure, client stopped
};

struct MediaError {
    MediaErrorKind kind = MediaErrorKind::unavailable;
    std::string message;  // names the rtpengine address and the command
};

template <class T>
using MediaResult = calls::Result<T, MediaError>;
using MediaStatus = MediaResult<calls::Done>;

}  // namespace ff::media
