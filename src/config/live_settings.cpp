// Handlers are kept in an immutable list swapped on (un)subscribe, so notifying needs no lock held.
#include "config/live_settings.hpp"

#include <algorithm>

namespace ff::config {

LiveSettings::LiveSettings(PbxSettings pbx, std::vector<SipUser> users, SmsTexts sms)
    : pbx_(std::move(pbx)), users_(std::move(users)), sms_(std::move(sms)) {}

std::unique_ptr<LiveSettings> LiveSettings::from(const ServiceConfig& environment,
                                                 const std::optional<PbxSettings>& stored_pbx,
                                                 const std::optional<std::vector<SipUser>>& stored_users,
                                                 const std::optional<SmsTexts>& stored_sms) {
    return std::make_unique<LiveSettings>(
        stored_pbx.value_or(environment.pbx), stored_users.value_or(environment.users),
        stored_sms.value_or(SmsTexts{environment.sms_missed_text, environment.sms_order_text}));
}

SmsTexts LiveSettings::sms_texts() const {
    std::lock_guard lock(mutex_);
    return sms_;
}

void LiveSettings::replace_sms_texts(SmsTexts texts) {
    std::lock_guard lock(mutex_);
    sms_ = std::move(texts);
}

PbxSettings LiveSettings::pbx() const {
    std::lock_guard lock(mutex_);
    return pbx_;
}

std::vector<SipUser> LiveSettings::users() const {
    std::lock_guard lock(mutex_);
    return users_;
}

std::optional<SipUser> LiveSettings::find_user(std::string_view extension) const {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(users_.begin(), users_.end(),
                                    [&](const SipUser& user) { return user.extension == extension; });
    if (found == users_.end()) return std::nullopt;
    return *found;
}

void LiveSettings::replace_pbx(PbxSettings pbx) {
    {
        std::lock_guard lock(mutex_);
        if (pbx_ == pbx) return;
        pbx_ = std::move(pbx);
    }
    notify();
}

void LiveSettings::replace_users(std::vector<SipUser> users) {
    {
        std::lock_guard lock(mutex_);
        if (users_ == users) return;
        users_ = std::move(users);
    }
    notify();
}

LiveSettings::Subscription LiveSettings::on_change(std::function<void()> handler) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<Handler>>(*handlers_);
    const Subscription id = next_subscription_++;
    next->push_back({id, std::move(handler)});
    handlers_ = std::move(next);
    return id;
}

void LiveSettings::unsubscribe(Subscription subscription) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<Handler>>(*handlers_);
    std::erase_if(*next, [subscription](const Handler& handler) { return handler.id == subscription; });
    handlers_ = std::move(next);
}

void LiveSettings::notify() const {
    std::shared_ptr<const std::vector<Handler>> handlers;
    {
        std::lock_guard lock(mutex_);
        handlers = handlers_;
    }
    for (const auto& handler : *handlers) handler.call();
}

}  // namespace ff::config
