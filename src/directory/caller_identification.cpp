// A race between the lookup and a timer, decided under one mutex so that every interleaving creates once.
#include "directory/caller_identification.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>

namespace ff::directory {
namespace {

class Admission : public std::enable_shared_from_this<Admission> {
  public:
    Admission(calls::CallRegistry& registry, calls::Call call, boost::asio::io_context& io,
              std::function<void(calls::Result<calls::Call>)> created)
        : registry_(registry),
          call_(std::move(call)),
          strand_(boost::asio::make_strand(io)),
          timer_(strand_),
          created_(std::move(created)) {}

    void start(CustomerDirectory& directory, std::chrono::milliseconds wait) {
        auto self = shared_from_this();
        boost::asio::post(strand_, [self, wait] {
            self->timer_.expires_after(wait);
            self->timer_.async_wait([self](boost::system::error_code error) {
                if (!error) self->on_wait_over();
            });
        });
        directory.lookup(call_.remote_number(), [self](std::optional<calls::Customer> customer) {
            self->on_lookup(std::move(customer));
        });
    }

  private:
    // waiting: neither happened yet; creating: one side is inside registry.create; created/failed: done.
    enum class Phase { waiting, creating, created, failed };

    void on_wait_over() {
        {
            std::lock_guard lock(mutex_);
            if (phase_ != Phase::waiting) return;
            phase_ = Phase::creating;
        }
        create(call_);
    }

    void on_lookup(std::optional<calls::Customer> customer) {
        std::unique_lock lock(mutex_);
        switch (phase_) {
            case Phase::waiting: {
                phase_ = Phase::creating;
                lock.unlock();
                // The timer has nothing left to decide; cancel it on its own strand so it frees us now.
                boost::asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
                calls::Call call = call_;
                call.customer = std::move(customer);
                create(std::move(call));
                return;
            }
            case Phase::creating:  // the call is being created without it: attach once that is done
                late_customer_ = std::move(customer);
                return;
            case Phase::created:
                lock.unlock();
                attach(std::move(customer));
                return;
            case Phase::failed:
                return;
        }
    }

    void create(calls::Call call) {
        auto result = registry_.create(std::move(call));
        std::optional<calls::Customer> late;
        {
            std::lock_guard lock(mutex_);
            phase_ = result ? Phase::created : Phase::failed;
            late = std::exchange(late_customer_, std::nullopt);
        }
        created_(result);
        if (late) attach(std::move(late));
    }

    void attach(std::optional<calls::Customer> customer) {
        if (!customer) return;
        const auto current = registry_.find(call_.id);
        if (!current || current->customer) return;  // ended, or someone linked a customer already
        (void)registry_.update(call_.id, [&customer](calls::Call& call) {
            if (!call.customer) call.customer = std::move(customer);
        });
    }

    calls::CallRegistry& registry_;
    const calls::Call call_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    std::function<void(calls::Result<calls::Call>)> created_;
    std::mutex mutex_;
    Phase phase_ = Phase::waiting;
    std::optional<calls::Customer> late_customer_;
};

}  // namespace

void admit_inbound_call(calls::CallRegistry& registry, CustomerDirectory& directory, calls::Call call,
                        std::chrono::milliseconds wait, boost::asio::io_context& io,
                        std::function<void(calls::Result<calls::Call>)> created) {
    if (call.id.empty()) call.id = calls::new_uuid();
    auto admission = std::make_shared<Admission>(registry, std::move(call), io, std::move(created));
    admission->start(directory, wait);
}

}  // namespace ff::directory
