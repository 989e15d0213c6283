// Nearest-rank percentiles: each figure is a latency that was actually measured.
#include "latency_summary.hpp"

#include <algorithm>
#include <cmath>

namespace ff::bench {
namespace {

double percentile(const std::vector<double>& sorted, double fraction) {
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary summarize(std::vector<double> milliseconds) {
    LatencySummary summary;
    if (milliseconds.empty()) return summary;
    std::sort(milliseconds.begin(), milliseconds.end());
    summary.count = milliseconds.size();
    summary.p50 = percentile(milliseconds, 0.50);
    summary.p90 = percentile(milliseconds, 0.90);
    summary.p99 = percentile(milliseconds, 0.99);
    summary.max = milliseconds.back();
    return summary;
}

}  // namespace ff::bench
