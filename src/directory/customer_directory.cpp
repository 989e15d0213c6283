// The two sources run in parallel so the popup waits for the slower one only, never for their sum.
#include "directory/customer_directory.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <memory>
#include <mutex>
#include <utility>

#include "config/service_config.hpp"

namespace ff::directory {
namespace {

// Collects both answers; the last one to arrive calls `done`.
class PendingLookup {
  public:
    PendingLookup(int sources, CustomerDirectory::Done done) : waiting_(sources), done_(std::move(done)) {}

    void settle_history(std::optional<calls::Customer> customer) { settle(history_, std::move(customer)); }
    void settle_crm(std::optional<calls::Customer> customer) { settle(crm_, std::move(customer)); }

  private:
    void settle(std::optional<calls::Customer>& slot, std::optional<calls::Customer> customer) {
        CustomerDirectory::Done done;
        std::optional<calls::Customer> winner;
        {
            std::lock_guard lock(mutex_);
            slot = std::move(customer);
            if (--waiting_ > 0) return;
            winner = crm_ ? std::move(crm_) : std::move(history_);
            done = std::move(done_);
        }
        done(std::move(winner));
    }

    std::mutex mutex_;
    int waiting_;
    std::optional<calls::Customer> history_;
    std::optional<calls::Customer> crm_;
    CustomerDirectory::Done done_;
};

// Settles the history side even if the reply is dropped uncalled (a storage job abandoned by an exception).
class HistoryReply {
  public:
    explicit HistoryReply(std::shared_ptr<PendingLookup> pending) : pending_(std::move(pending)) {}
    HistoryReply(const HistoryReply&) = delete;
    HistoryReply& operator=(const HistoryReply&) = delete;
    ~HistoryReply() {
        if (pending_) pending_->settle_history(std::nullopt);
    }
    void send(std::optional<calls::Customer> customer) {
        std::exchange(pending_, nullptr)->settle_history(std::move(customer));
    }

  private:
    std::shared_ptr<PendingLookup> pending_;
};

}  // namespace

CustomerDirectoryOptions CustomerDirectoryOptions::from(const config::ServiceConfig& config) {
    return {config.customer_lookup_url, std::chrono::milliseconds(config.customer_lookup_timeout_ms)};
}

CustomerDirectory::CustomerDirectory(PastCustomers history, boost::asio::io_context& io,
                                     PhoneNormalizer normalizer, CustomerDirectoryOptions options)
    : history_(std::move(history)), io_(io), normalizer_(std::move(normalizer)) {
    if (!options.lookup_url.empty()) {
        http_ = HttpCustomerLookup::create(io, options.lookup_url, options.timeout);
        if (!http_) spdlog::warn("customer lookup: CUSTOMER_LOOKUP_URL is not a plain http:// URL; not used");
    }
}

void CustomerDirectory::lookup(std::string phone, Done done) {
    std::string number = normalizer_.normalize(phone);
    if (number.empty() || PhoneNormalizer::is_extension(number)) {
        boost::asio::post(io_, [done = std::move(done)] { done(std::nullopt); });
        return;
    }
    auto pending = std::make_shared<PendingLookup>(http_ ? 2 : 1, std::move(done));
    if (http_) {
        http_->fetch(number, [pending, normalizer = normalizer_](std::optional<calls::Customer> customer) {
            if (customer) customer->phone = normalizer.normalize(customer->phone);
            pending->settle_crm(std::move(customer));
        });
    }
    auto reply = std::make_shared<HistoryReply>(std::move(pending));
    history_(std::move(number), [reply](std::optional<calls::Customer> customer) { reply->send(std::move(customer)); });
}

}  // namespace ff::directory
