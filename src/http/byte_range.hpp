// HTTP Range for one resource of known size (RFC 9110, section 14): what a browser's audio element sends to
// seek. One range is served; a header that is not one byte range is ignored (the whole file is sent, as the
// RFC allows), and one that no byte of the file satisfies is 416.
#pragma once

#include <cstdint>
#include <string_view>

namespace ff::http {

struct ByteRange {
    enum class Kind { whole, partial, unsatisfiable };
    Kind kind = Kind::whole;
    std::uint64_t first = 0;  // partial: the first and last byte sent, inclusive
    std::uint64_t last = 0;
};

// `header` is the Range header's value (empty when absent); `size` the resource's size in bytes.
ByteRange parse_byte_range(std::string_view header, std::uint64_t size);

}  // namespace ff::http
