// getaddrinfo's result list, freed when it goes out of scope.
#pragma once

#include <netdb.h>

#include <memory>

namespace ff::sip {

struct AddressInfoDeleter {
    void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddressInfo = std::unique_ptr<addrinfo, AddressInfoDeleter>;

}  // namespace ff::sip
