// Percentiles of a set of latencies, for the benchmark's table.
#pragma once

#include <cstddef>
#include <vector>

namespace ff::bench {

struct LatencySummary {
    std::size_t count = 0;
    double p50 = 0;  // milliseconds, nearest rank
    double p90 = 0;
    double p99 = 0;
    double max = 0;
};

LatencySummary summarize(std::vector<double> milliseconds);

}  // namespace ff::bench
