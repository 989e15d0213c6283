// The few changes a back-to-back agent makes to SDP it passes between the legs, done with Sofia's SDP
// parser and printer: the media direction (hold), a "black hole" answer, and one origin per leg.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ff::sip {

enum class MediaDirection { sendrecv, sendonly, recvonly, inactive };

// The direction of the first media stream; nullopt when `sdp` is not SDP or has no media.
std::optional<MediaDirection> media_direction(std::string_view sdp);

// True when the sender of `sdp` puts the other side on hold (sendonly or inactive, or c=0.0.0.0).
bool is_hold(std::string_view sdp);

// `sdp` with every media stream set to `direction`; nullopt when it is not SDP.
std::optional<std::string> with_direction(std::string_view sdp, MediaDirection direction);
// The SDP made two-way (sendrecv); unchanged when it has no media section to change.
std::string two_way(std::string_view sdp);

// `sdp` with every connection address replaced by the first one of `source` (same media server, another of
// its sides); unchanged when either is not SDP or `source` has no connection.
std::string with_address_of(std::string_view sdp, std::string_view source);

// A valid answer to `offer` that receives and sends nothing (c=0.0.0.0, inactive): parks a leg until the
// real answer is known (RFC 3725, flow IV).
std::optional<std::string> black_hole_answer(std::string_view offer);

// Everything one leg receives from the service must look like one session: the same o= user and id, and
// a version that grows whenever the description changes (RFC 3264, 8). Whatever endpoint the SDP came
// from (the PBX, this phone or another one after a transfer), stamp() rewrites its origin.
class LegOrigin {
  public:
    LegOrigin();
    // `sdp` with this leg's origin; unchanged text when it is not SDP.
    std::string stamp(std::string_view sdp);

  private:
    std::uint64_t session_id_;
    std::uint64_t version_;
    // Hash of the last SDP stamped, before stamping: a changed body gets a new version. A hash, not a copy:
    // every leg of every call keeps one.
    std::size_t last_body_hash_ = 0;
};

}  // namespace ff::sip
