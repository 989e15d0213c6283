// The one way into the SIP thread: jobs queued by any thread, and an eventfd that wakes the thread's loop.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

namespace ff::sip {

class CommandQueue {
  public:
    using Job = std::function<void()>;

    CommandQueue();  // on failure valid() is false (no file descriptor left)
    ~CommandQueue();
    CommandQueue(const CommandQueue&) = delete;
    CommandQueue& operator=(const CommandQueue&) = delete;

    bool valid() const { return fd_ >= 0; }
    // The descriptor the loop watches: readable while jobs wait.
    int fd() const { return fd_; }

    // Queues a job and wakes the loop; false once closed (the job is dropped, not run).
    bool post(Job job);
    // Jobs queued so far, oldest first; resets the wake-up. Called by the loop when fd() is readable.
    std::deque<Job> take();
    // Refuses every later post(); jobs already queued are still taken.
    void close();

  private:
    void wake();

    int fd_ = -1;
    std::mutex mutex_;
    std::deque<Job> jobs_;
    bool closed_ = false;
};

}  // namespace ff::sip
