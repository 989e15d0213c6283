// A handful of phones per extension: linear scans over small vectors.
#include "sip/phones/device_bindings.hpp"

#include <algorithm>

namespace ff::sip {

void DeviceBindings::bind(DeviceContact contact) {
    auto& phones = by_extension_[contact.extension];
    auto same = std::find_if(phones.begin(), phones.end(),
                             [&](const DeviceContact& phone) { return phone.contact == contact.contact; });
    if (same != phones.end()) {
        *same = std::move(contact);
        return;
    }
    if (max_per_extension_ > 0 && phones.size() >= max_per_extension_) {
        auto soonest = std::min_element(phones.begin(), phones.end(),
                                        [](const auto& a, const auto& b) { return a.expires < b.expires; });
        phones.erase(soonest);
    }
    phones.push_back(std::move(contact));
}

bool DeviceBindings::unbind(const std::string& extension, const std::string& contact) {
    auto found = by_extension_.find(extension);
    if (found == by_extension_.end()) return false;
    auto& phones = found->second;
    const auto removed =
        std::erase_if(phones, [&](const DeviceContact& phone) { return phone.contact == contact; });
    if (phones.empty()) by_extension_.erase(found);
    return removed > 0;
}

std::size_t DeviceBindings::unbind_all(const std::string& extension) {
    auto found = by_extension_.find(extension);
    if (found == by_extension_.end()) return 0;
    const auto removed = found->second.size();
    by_extension_.erase(found);
    return removed;
}

std::vector<DeviceContact> DeviceBindings::of(const std::string& extension) const {
    auto found = by_extension_.find(extension);
    if (found == by_extension_.end()) return {};
    auto phones = found->second;
    std::stable_sort(phones.begin(), phones.end(),
                     [](const auto& a, const auto& b) { return a.registered > b.registered; });
    return phones;
}

int DeviceBindings::count(const std::string& extension) const {
    auto found = by_extension_.find(extension);
    return found == by_extension_.end() ? 0 : static_cast<int>(found->second.size());
}

std::vector<std::string> DeviceBindings::extensions() const {
    std::vector<std::string> names;
    names.reserve(by_extension_.size());
    for (const auto& [extension, phones] : by_extension_) names.push_back(extension);
    return names;
}

std::vector<std::string> DeviceBindings::expire(Clock::time_point now) {
    std::vector<std::string> changed;
    for (auto it = by_extension_.begin(); it != by_extension_.end();) {
        const auto removed =
            std::erase_if(it->second, [now](const DeviceContact& phone) { return phone.expires <= now; });
        if (removed > 0) changed.push_back(it->first);
        it = it->second.empty() ? by_extension_.erase(it) : std::next(it);
    }
    return changed;
}

std::optional<DeviceBindings::Clock::time_point> DeviceBindings::next_expiry() const {
    std::optional<Clock::time_point> next;
    for (const auto& [extension, phones] : by_extension_) {
        for (const auto& phone : phones) {
            if (!next || phone.expires < *next) next = phone.expires;
        }
    }
    return next;
}

}  // namespace ff::sip
