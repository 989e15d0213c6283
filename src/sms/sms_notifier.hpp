// An SMS to the customer after a missed call (the callback list's entry) and after a call that produced an
// order, through the call centre's gateway; each kept on its call with what came of it (call:updated).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "calls/event_bus.hpp"
#include "sms/sms_gateway.hpp"
#include "store/store_worker.hpp"

namespace ff::sms {

struct NotifierOptions {
    GatewayOptions gateway;
    // The texts as they are when each SMS is decided (the settings page changes them): "" sends none of the kind.
    std::function<std::string()> missed_text;  // SMS_MISSED_TEXT or the page's
    std::function<std::string()> order_text;   // SMS_ORDER_TEXT or the page's
    std::chrono::minutes min_interval{60};
};

struct NotifierState;  // shared with the jobs and requests in flight (sms_notifier.cpp)

// Never to a colleague's extension (calls::is_internal_number); at most one of each kind per call, and none
// to a number that had one within min_interval (kept "skipped" on the call, saying so). A gateway that does
// not answer 2xx in time is "failed" with its words; it is not retried (an SMS late is worse than none).
class SmsNotifier {
  public:
    SmsNotifier(calls::EventBus& bus, store::StoreWorker& worker, boost::asio::io_context& io, NotifierOptions options);
    ~SmsNotifier();
    SmsNotifier(const SmsNotifier&) = delete;
    SmsNotifier& operator=(const SmsNotifier&) = delete;

  private:
    std::shared_ptr<NotifierState> state_;
};

}  // namespace ff::sms
