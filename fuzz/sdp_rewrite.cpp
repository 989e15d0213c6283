// Feeds: an SDP body as a phone or the PBX sends it, through every rewrite the bridge makes. Asserts: a
// direction set on every stream is the direction read back (on bodies Sofia prints faithfully, when the
// first stream is not rejected); a black-hole answer is a hold; a stamped body carries our origin, and so
// does that body stamped again.
#include "sip/bridge/sdp_rewrite.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

using namespace ff::sip;

namespace {

// Whether the first m= line rejects its stream (port 0), which then has no direction to print. Lines are
// read the way Sofia reads them: ended by CR or LF, leading blanks skipped.
bool first_stream_rejected(std::string_view text) {
    while (!text.empty()) {
        const auto end = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
        if (!line.starts_with("m=")) continue;
        line.remove_prefix(2);
        for (int word = 0; word < 2; ++word) {  // to the port, past the media and any blanks
            line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
            if (word == 0) line.remove_prefix(std::min(line.size(), line.find_first_of(" \t")));
        }
        const auto digits = line.substr(0, line.find_first_not_of("0123456789"));
        return !digits.empty() && digits.find_first_not_of('0') == std::string_view::npos;  // "0", "00" ...
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view sdp(reinterpret_cast<const char*>(data), size);
    const auto direction = media_direction(sdp);
    (void)is_hold(sdp);

    // Sofia prints some garbage it parsed (an m= line without formats, a NUL in an attribute) as text that
    // parses to other streams: the rewrite is checked on bodies whose own direction survives printing.
    const auto same = direction ? with_direction(sdp, *direction) : std::nullopt;
    const bool stable = same && media_direction(*same) == direction && !first_stream_rejected(sdp);
    for (const auto wanted : {MediaDirection::sendonly, MediaDirection::inactive, MediaDirection::sendrecv}) {
        const auto changed = with_direction(sdp, wanted);
        if (stable) FUZZ_CHECK(changed && media_direction(*changed) == wanted);
    }

    if (const auto parked = black_hole_answer(sdp); parked && stable) {
        FUZZ_CHECK(media_direction(*parked) == MediaDirection::inactive);
        FUZZ_CHECK(is_hold(*parked));
    }

    LegOrigin origin;
    const std::string stamped = origin.stamp(sdp);
    if (stamped != sdp) {
        FUZZ_CHECK(stamped.find("o=pjsip-service ") != std::string::npos);
        FUZZ_CHECK(origin.stamp(stamped).find("o=pjsip-service ") != std::string::npos);
    }
    return 0;
}
