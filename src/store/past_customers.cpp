#include "store/past_customers.hpp"

#include <utility>

namespace ff::store {

std::function<void(std::string number, CustomerReply reply)> past_customers(StoreWorker& worker) {
    return [&worker](std::string number, CustomerReply reply) {
        worker.post_read([number = std::move(number), reply = std::move(reply)](Storage& storage) {
            // The popup must not wait for a database that is away: a failed lookup (logged by the storage)
            // shows it without the caller's past customer, as for a number never linked.
            auto customer = storage.last_customer_for_phone(number);
            reply(customer ? customer.value() : std::nullopt);
        });
    };
}

}  // namespace ff::store
