// The load runs in slots of 1/rate seconds: a slot writes the next step of a call that is due (answer,
// order, end, note), or else starts a new call while the duration lasts. So the write rate stays steady
// from the first slot on, and the mix settles on the service's: three snapshots a call plus the links.
#include "write_load.hpp"

#include <memory>
#include <queue>
#include <random>
#include <string>
#include <thread>

#include "calls/call_registry.hpp"

namespace ff::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct DueWrite {
    SteadyClock::time_point due;
    std::uint64_t order;  // ties keep the order they were planned in, so one call's steps never swap
    WriteKind kind;
    std::shared_ptr<calls::Call> call;

    bool operator>(const DueWrite& other) const {
        return due != other.due ? due > other.due : order > other.order;
    }
};

calls::Call new_call(std::size_t number) {
    calls::Call call;
    call.id = calls::new_uuid();
    call.sip_call_id = call.id + "@pbx.bench";
    call.direction = calls::Direction::inbound;
    const std::string digits = std::to_string(1000000 + number % 9000000);
    call.from = "+7999" + digits;
    call.extension = std::to_string(1001 + number % 20);
    call.to = call.extension;
    call.start_time = calls::now_ms();
    // The caller is known to the CRM on half the calls: the first snapshot then carries the customer.
    if (number % 2 == 0)
        call.customer = calls::Customer{calls::new_uuid(), "Покупатель " + digits, call.from};
    return call;
}

calls::CallEventKind event_kind(WriteKind kind) {
    switch (kind) {
        case WriteKind::call_answered:
            return calls::CallEventKind::answered;
        case WriteKind::call_ended:
            return calls::CallEventKind::ended;
        default:
            return calls::CallEventKind::created;
    }
}

}  // namespace

LoadResult run_write_load(calls::EventBus& bus, store::StoreWorker& worker, const LoadOptions& options) {
    LoadResult result;
    std::mt19937 random(options.seed);
    std::uniform_int_distribution<std::int64_t> ring(options.shortest_ring.count(),
                                                     options.longest_ring.count());
    std::uniform_int_distribution<std::int64_t> talk(options.shortest_talk.count(),
                                                     options.longest_talk.count());
    std::priority_queue<DueWrite, std::vector<DueWrite>, std::greater<>> due;
    std::uint64_t planned = 0;
    const auto plan = [&](SteadyClock::time_point at, WriteKind kind,
                          const std::shared_ptr<calls::Call>& call) {
        due.push(DueWrite{at, planned++, kind, call});
    };

    // Written by the worker thread only; read here after drain(), which orders it before.
    auto samples = std::make_shared<std::vector<WriteSample>>();
    SteadyClock::time_point start;
    const auto post = [&](WriteKind kind, std::function<bool(store::Storage&)> write) {
        result.most_queued = std::max(result.most_queued, worker.queued());
        const auto posted = SteadyClock::now();
        const std::chrono::duration<double> posted_at = posted - start;
        worker.post([samples, kind, posted, posted_at, write = std::move(write)](store::Storage& storage) {
            const bool ok = write(storage);
            const std::chrono::duration<double, std::milli> latency = SteadyClock::now() - posted;
            samples->push_back(WriteSample{kind, posted_at.count(), latency.count(), ok});
        });
    };
    // The worker runs jobs in order, so a no-op posted right after the publish runs the moment the
    // writer's record_call job has finished: its completion time is the snapshot's.
    const auto record = [&](WriteKind kind, const calls::Call& snapshot) {
        result.most_queued = std::max(result.most_queued, worker.queued());
        const auto published = SteadyClock::now();
        const std::chrono::duration<double> published_at = published - start;
        bus.publish(calls::CallEvent{event_kind(kind), snapshot, {}});
        worker.post([samples, kind, published, published_at](store::Storage&) {
            const std::chrono::duration<double, std::milli> latency = SteadyClock::now() - published;
            samples->push_back(WriteSample{kind, published_at.count(), latency.count(), true});
        });
    };

    const auto slot = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(1.0 / options.writes_per_second));
    start = SteadyClock::now();
    const auto stop_starting = start + options.duration;
    for (auto at = start;; at += slot) {
        std::this_thread::sleep_until(at);
        if (!due.empty() && due.top().due <= at) {
            DueWrite write = due.top();
            due.pop();
            calls::Call& call = *write.call;
            switch (write.kind) {
                case WriteKind::call_answered:
                    call.status = calls::CallStatus::answered;
                    call.answer_time = calls::now_ms();
                    record(write.kind, call);
                    break;
                case WriteKind::call_ended:
                    call.status = calls::CallStatus::ended;
                    call.end_reason = calls::EndReason::completed;
                    call.end_time = calls::now_ms();
                    record(write.kind, call);
                    break;
                case WriteKind::order_link:
                    post(write.kind, [id = call.id, order = calls::new_uuid()](store::Storage& storage) {
                        return static_cast<bool>(storage.link_order(id, order));
                    });
                    break;
                case WriteKind::note:
                    post(write.kind,
                         [id = call.id, author = "Оператор " + call.extension](store::Storage& storage) {
                             return static_cast<bool>(
                                 storage.add_note(id, "Клиент просил перезвонить после 18:00", author));
                         });
                    break;
                case WriteKind::call_new:
                    break;
            }
            continue;
        }
        if (at < stop_starting) {
            const std::size_t number = result.calls++;
            auto call = std::make_shared<calls::Call>(new_call(number));
            record(WriteKind::call_new, *call);
            const auto answered = at + std::chrono::milliseconds(ring(random));
            const auto talk_time = std::chrono::milliseconds(talk(random));
            const auto ended = answered + talk_time;
            plan(answered, WriteKind::call_answered, call);
            if (number % options.order_every == 0)
                plan(answered + talk_time / 2, WriteKind::order_link, call);
            plan(ended, WriteKind::call_ended, call);
            if (number % options.note_every == 0)
                plan(ended + std::chrono::seconds(1), WriteKind::note, call);
            continue;
        }
        if (due.empty()) break;
    }
    worker.drain();
    const std::chrono::duration<double> elapsed = SteadyClock::now() - start;
    result.elapsed_seconds = elapsed.count();
    result.samples = std::move(*samples);
    return result;
}

}  // namespace ff::bench
