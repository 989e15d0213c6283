// A steady stream of call-log writes shaped like the service's: each call's events (created, answered,
// ended) are published on the bus, where the service's CallLogWriter turns them into record_call jobs, and
// some calls get an order linked while they are up and a note after they end, posted to the StoreWorker
// as the API's routes do. The latency of a write runs from its publish or post to the end of its storage
// call on the worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "calls/event_bus.hpp"
#include "store/store_worker.hpp"

namespace ff::bench {

enum class WriteKind { call_new, call_answered, call_ended, order_link, note };

struct LoadOptions {
    double writes_per_second = 50;      // every kind of write counts: the pace never changes
    std::chrono::seconds duration{20};  // new calls start during this time; the last ones then finish
    std::chrono::milliseconds shortest_ring{1000}, longest_ring{4000};
    std::chrono::milliseconds shortest_talk{2000}, longest_talk{8000};
    int order_every = 3;  // every third call links an order
    int note_every = 5;   // every fifth call gets a note
    std::uint32_t seed = 6;
};

struct WriteSample {
    WriteKind kind;
    double posted_at_seconds;  // since the load started
    double milliseconds;
    bool ok;  // link_order and add_note; the CallLogWriter counts failed snapshots itself
};

struct LoadResult {
    std::vector<WriteSample> samples;
    std::size_t calls = 0;
    double elapsed_seconds = 0;   // first post to last completion
    std::size_t most_queued = 0;  // the worker's queue just before a post, at its longest
};

// A CallLogWriter must be subscribed to `bus` and post to `worker`.
LoadResult run_write_load(calls::EventBus& bus, store::StoreWorker& worker, const LoadOptions& options);

}  // namespace ff::bench
