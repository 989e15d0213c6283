// Feeds: the text of a .env file. Asserts: every error names a line of the file, and the values read,
// written back as double-quoted lines, read back the same.
#include "config/dotenv.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

std::string quoted(const std::string& value) {
    std::string text = "\"";
    for (const char c : value) {
        switch (c) {
            case '\n':
                text += "\\n";
                break;
            case '\r':
                text += "\\r";
                break;
            case '\t':
                text += "\\t";
                break;
            case '"':
                text += "\\\"";
                break;
            case '\\':
                text += "\\\\";
                break;
            default:
                text += c;
        }
    }
    return text + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = ff::config::parse_dotenv(text);
    FUZZ_CHECK(result.found);
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& error : result.errors) FUZZ_CHECK(error.line >= 1 && error.line <= lines);

    std::string written;
    for (const auto& [key, value] : result.values) written += key + "=" + quoted(value) + "\n";
    const auto again = ff::config::parse_dotenv(written);
    FUZZ_CHECK(again.errors.empty());
    FUZZ_CHECK(again.values == result.values);
    return 0;
}
