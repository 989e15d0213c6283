// Addresses allowed by a list of IPv4/IPv6 addresses and networks ("10.0.0.5", "10.1.0.0/16", "::1"), such as
// METRICS_ALLOW: the scrapers that may read /metrics without a token.
#pragma once

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ff::config {

class AddressAllowList {
  public:
    AddressAllowList() = default;
    // Every entry parsed; nullopt and `bad` set to the first entry that is no address or network.
    static std::optional<AddressAllowList> parse(const std::vector<std::string>& entries, std::string& bad);

    bool allows(std::string_view address) const;
    bool empty() const { return v4_.empty() && v6_.empty(); }

  private:
    std::vector<boost::asio::ip::network_v4> v4_;
    std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace ff::config
