// std::random_device reads the kernel's CSPRNG on Linux: a session id must not be guessable.
#include "realtime/random_id.hpp"

#include <random>
#include <vector>

namespace ff::realtime {

std::string random_id(std::size_t bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    thread_local std::random_device device;
    std::vector<unsigned char> raw(bytes);
    for (std::size_t index = 0; index < bytes; index += 4) {
        const auto value = device();
        for (std::size_t shift = 0; shift < 4 && index + shift < bytes; ++shift) {
            raw[index + shift] = static_cast<unsigned char>(value >> (8 * shift));
        }
    }
    std::string text;
    text.reserve((bytes * 4 + 2) / 3);
    unsigned buffer = 0;
    int bits = 0;
    for (const unsigned char byte : raw) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            text.push_back(alphabet[(buffer >> bits) & 0x3f]);
        }
    }
    if (bits > 0) text.push_back(alphabet[(buffer << (6 - bits)) & 0x3f]);
    return text;
}

}  // namespace ff::realtime
