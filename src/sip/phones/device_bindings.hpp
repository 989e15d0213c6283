// The registrar's table of phones per extension, with their expiry; plain data, no SIP.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ff::sip {

// The user agent the registrar shows for a browser phone (a console page, sip/browser).
inline constexpr const char* browser_phone_agent = "browser phone";

// One registered phone.
struct DeviceContact {
    std::string extension;
    std::string contact;  // the Contact URI as registered: names the binding within its extension
    std::string uri;      // where requests for this phone go: the contact, or its source address behind NAT
    std::string source;   // "address:port" the REGISTER came from
    std::string user_agent;                            // for the settings page and logs
    std::chrono::steady_clock::time_point registered;  // last (re)registration
    std::chrono::steady_clock::time_point expires;
};

class DeviceBindings {
  public:
    using Clock = std::chrono::steady_clock;

    // `max_per_extension`: a new phone beyond it replaces the one closest to expiring.
    explicit DeviceBindings(std::size_t max_per_extension = 10) : max_per_extension_(max_per_extension) {}

    // Adds the phone, or refreshes the binding of the same extension and contact.
    void bind(DeviceContact contact);
    // Removes one binding; false when there was none.
    bool unbind(const std::string& extension, const std::string& contact);
    // Removes every binding of the extension; how many there were.
    std::size_t unbind_all(const std::string& extension);

    // The phones of an extension, most recently registered first.
    std::vector<DeviceContact> of(const std::string& extension) const;
    int count(const std::string& extension) const;
    std::vector<std::string> extensions() const;

    // Drops the bindings expired at `now`; the extensions that lost phones.
    std::vector<std::string> expire(Clock::time_point now);
    // When the next binding expires; empty when there is none.
    std::optional<Clock::time_point> next_expiry() const;

  private:
    std::size_t max_per_extension_;
    std::map<std::string, std::vector<DeviceContact>> by_extension_;
};

}  // namespace ff::sip
