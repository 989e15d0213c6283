// The PBX settings and PBX accounts in effect now; the settings page changes them while the service runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/service_config.hpp"

namespace ff::config {

// The texts of the SMS sent to customers after calls (SMS_MISSED_TEXT, SMS_ORDER_TEXT until the settings page
// saves its own): "" sends none of that kind.
struct SmsTexts {
    std::string missed;
    std::string order;
    bool operator==(const SmsTexts&) const = default;
};

// Thread-safe. Readers get copies; subscribers are told after each change, outside the lock, so a
// subscriber may read the new values (or even change them) without deadlocking.
class LiveSettings {
  public:
    using Subscription = std::uint64_t;

    LiveSettings(PbxSettings pbx, std::vector<SipUser> users, SmsTexts sms = {});

    // The environment's values, overridden by what the settings page saved (when it saved anything).
    static std::unique_ptr<LiveSettings> from(const ServiceConfig& environment,
                                              const std::optional<PbxSettings>& stored_pbx,
                                              const std::optional<std::vector<SipUser>>& stored_users,
                                              const std::optional<SmsTexts>& stored_sms = std::nullopt);

    PbxSettings pbx() const;
    std::vector<SipUser> users() const;
    std::optional<SipUser> find_user(std::string_view extension) const;
    SmsTexts sms_texts() const;

    // Replace and notify; replacing with equal values notifies nobody.
    void replace_pbx(PbxSettings pbx);
    void replace_users(std::vector<SipUser> users);
    // Read at each SMS: nobody is notified.
    void replace_sms_texts(SmsTexts texts);

    // `handler` runs on the thread that made the change, after it. Keep it quick: hand off to your thread.
    Subscription on_change(std::function<void()> handler);
    void unsubscribe(Subscription subscription);

  private:
    struct Handler {
        Subscription id;
        std::function<void()> call;
    };
    void notify() const;

    mutable std::mutex mutex_;
    PbxSettings pbx_;
    std::vector<SipUser> users_;
    SmsTexts sms_;
    Subscription next_subscription_ = 1;
    std::shared_ptr<const std::vector<Handler>> handlers_ = std::make_shared<std::vector<Handler>>();
};

}  // namespace ff::config
