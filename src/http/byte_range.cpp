#include "http/byte_range.hpp"

#include <charconv>
#include <optional>

namespace ff::http {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Digits only (no sign, no blanks); nullopt for anything else or a value past 64 bits.
std::optional<std::uint64_t> number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

ByteRange parse_byte_range(std::string_view header, std::uint64_t size) {
    const ByteRange whole{};
    const ByteRange unsatisfiable{ByteRange::Kind::unsatisfiable};
    header = trimmed(header);
    constexpr std::string_view unit = "bytes=";
    if (header.size() < unit.size()) return whole;
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const char c = header[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != unit[i]) return whole;
    }
    const std::string_view spec = trimmed(header.substr(unit.size()));
    if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole file instead
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    const std::string_view from = trimmed(spec.substr(0, dash));
    const std::string_view to = trimmed(spec.substr(dash + 1));
    if (from.empty()) {  // "-n": the last n bytes
        const auto suffix = number(to);
        if (!suffix) return whole;
        if (*suffix == 0 || size == 0) return unsatisfiable;
        return {ByteRange::Kind::partial, *suffix >= size ? 0 : size - *suffix, size - 1};
    }
    const auto first = number(from);
    if (!first) return whole;
    std::uint64_t last = size == 0 ? 0 : size - 1;
    if (!to.empty()) {
        const auto until = number(to);
        if (!until || *until < *first) return whole;  // invalid: ignored
        if (*until < last) last = *until;
    }
    if (*first >= size) return unsatisfiable;
    return {ByteRange::Kind::partial, *first, last};
}

}  // namespace ff::http
