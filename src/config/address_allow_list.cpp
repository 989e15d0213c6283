// Boost.Asio parses the addresses and networks and tells a host inside a network.
#include "config/address_allow_list.hpp"

#include <boost/asio/ip/address.hpp>

namespace ff::config {

namespace ip = boost::asio::ip;

std::optional<AddressAllowList> AddressAllowList::parse(const std::vector<std::string>& entries, std::string& bad) {
    AddressAllowList list;
    for (const auto& entry : entries) {
        boost::system::error_code error;
        const bool network = entry.find('/') != std::string::npos;
        const bool v6 = entry.find(':') != std::string::npos;
        if (v6) {
            const auto parsed = network ? ip::make_network_v6(entry, error)
                                        : ip::network_v6(ip::make_address_v6(entry, error), 128);
            if (!error) list.v6_.push_back(parsed.canonical());
        } else {
            const auto parsed = network ? ip::make_network_v4(entry, error)
                                        : ip::network_v4(ip::make_address_v4(entry, error), 32);
            if (!error) list.v4_.push_back(parsed.canonical());
        }
        if (error) {
            bad = entry;
            return std::nullopt;
        }
    }
    return list;
}

bool AddressAllowList::allows(std::string_view address) const {
    boost::system::error_code error;
    const auto parsed = ip::make_address(std::string(address), error);
    if (error) return false;
    if (parsed.is_v4()) {
        const ip::network_v4 host(parsed.to_v4(), 32);
        for (const auto& network : v4_)
            if (host == network || host.is_subnet_of(network)) return true;
        return false;
    }
    const auto v6 = parsed.to_v6();
    if (v6.is_v4_mapped()) return allows(ip::make_address_v4(ip::v4_mapped, v6).to_string());
    const ip::network_v6 host(v6, 128);
    for (const auto& network : v6_)
        if (host == network || host.is_subnet_of(network)) return true;
    return false;
}

}  // namespace ff::config
