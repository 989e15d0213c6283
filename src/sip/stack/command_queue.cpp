// An eventfd counts the wake-ups; reading it clears them, so one read serves any number of posts.
#include "sip/stack/command_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ff::sip {

CommandQueue::CommandQueue() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

CommandQueue::~CommandQueue() {
    if (fd_ >= 0) ::close(fd_);
}

bool CommandQueue::post(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (closed_ || fd_ < 0) return false;
        jobs_.push_back(std::move(job));
    }
    wake();
    return true;
}

std::deque<CommandQueue::Job> CommandQueue::take() {
    std::uint64_t count = 0;
    // Cleared before taking: a post racing with us either lands in this batch or wakes the loop again.
    while (::read(fd_, &count, sizeof count) < 0 && errno == EINTR) {
    }
    std::lock_guard lock(mutex_);
    std::deque<Job> taken;
    taken.swap(jobs_);
    return taken;
}

void CommandQueue::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
}

void CommandQueue::wake() {
    const std::uint64_t one = 1;
    // EAGAIN only when the counter is saturated, and then the loop is awake anyway.
    while (::write(fd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

}  // namespace ff::sip
