// Feeds: a .env file, read and turned into the service's configuration as at start-up. Asserts: the error
// report never shows ADMIN_TOKEN's value (it reads the same with another token of that shape), there is a
// report exactly when there are errors, and loading the same values twice gives the same configuration.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_loader.hpp"
#include "config/dotenv.hpp"
#include "fuzz_check.hpp"

using namespace ff::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto dotenv = parse_dotenv(std::string_view(reinterpret_cast<const char*>(data), size));
    const auto loaded = load_config(dotenv.values);
    const std::string report = format_errors(loaded.errors);
    FUZZ_CHECK(loaded.ok() == report.empty());

    if (const auto token = dotenv.values.find("ADMIN_TOKEN"); token != dotenv.values.end()) {
        // Another token of the same length, blanks and validity: the report must not tell them apart.
        auto other = dotenv.values;
        for (char& c : other["ADMIN_TOKEN"]) {
            if (c > 0x20 && c < 0x7F) c = c == 'x' ? 'y' : 'x';
        }
        FUZZ_CHECK(format_errors(load_config(other).errors) == report);
    }

    if (loaded.ok()) {
        const auto again = load_config(dotenv.values);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again.config.pbx == loaded.config.pbx);
        FUZZ_CHECK(again.config.users.size() == loaded.config.users.size());
    }
    return 0;
}
