// The SIP thread's inbox: readable descriptor while jobs wait, order kept across threads, closed means
// closed.
#include <gtest/gtest.h>
#include <poll.h>

#include <thread>
#include <vector>

#include "sip/stack/command_queue.hpp"

using namespace ff::sip;

namespace {

bool readable(int fd, int timeout_ms) {
    pollfd watched{fd, POLLIN, 0};
    return ::poll(&watched, 1, timeout_ms) == 1 && (watched.revents & POLLIN) != 0;
}

}  // namespace

TEST(SipCommandQueue, empty_queue_does_not_wake_the_loop) {
    CommandQueue queue;
    ASSERT_TRUE(queue.valid());
    EXPECT_FALSE(readable(queue.fd(), 0));
}

TEST(SipCommandQueue, a_post_wakes_the_loop_and_take_clears_the_wake_up) {
    CommandQueue queue;
    int runs = 0;
    EXPECT_TRUE(queue.post([&runs] { ++runs; }));
    EXPECT_TRUE(readable(queue.fd(), 1000));
    auto jobs = queue.take();
    EXPECT_FALSE(readable(queue.fd(), 0));
    ASSERT_EQ(jobs.size(), 1u);
    jobs.front()();
    EXPECT_EQ(runs, 1);
}

TEST(SipCommandQueue, jobs_from_one_thread_keep_their_order) {
    CommandQueue queue;
    std::vector<int> seen;
    for (int i = 0; i < 5; ++i) queue.post([&seen, i] { seen.push_back(i); });
    for (auto& job : queue.take()) job();
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(SipCommandQueue, posts_from_many_threads_all_arrive) {
    CommandQueue queue;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&queue] {
            for (int i = 0; i < 250; ++i) queue.post([] {});
        });
    }
    std::size_t taken = 0;
    while (taken < 1000) {
        ASSERT_TRUE(readable(queue.fd(), 5000)) << "only " << taken << " of 1000 jobs arrived";
        taken += queue.take().size();
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(taken, 1000u);
}

TEST(SipCommandQueue, closed_queue_refuses_later_posts_but_keeps_earlier_ones) {
    CommandQueue queue;
    EXPECT_TRUE(queue.post([] {}));
    queue.close();
    EXPECT_FALSE(queue.post([] {}));
    EXPECT_EQ(queue.take().size(), 1u);
}
