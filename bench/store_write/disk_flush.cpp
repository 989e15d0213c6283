// A steady series of small durable appends, timed one by one.
#include "disk_flush.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace ff::bench {

std::vector<double> measure_disk_flush(const std::filesystem::path& directory, double per_second, std::size_t count) {
    const std::filesystem::path path = directory / "flush-probe";
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (file < 0) throw std::runtime_error("cannot create " + path.string());
    const std::string block(8192, 'x');
    const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / per_second));
    std::vector<double> milliseconds;
    auto next = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        std::this_thread::sleep_until(next);
        next += period;
        const auto start = std::chrono::steady_clock::now();
        const bool written = ::write(file, block.data(), block.size()) == static_cast<ssize_t>(block.size());
        if (!written || ::fdatasync(file) != 0) {
            ::close(file);
            throw std::runtime_error("cannot write and flush " + path.string());
        }
        milliseconds.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    ::close(file);
    std::filesystem::remove(path);
    return milliseconds;
}

}  // namespace ff::bench
