// Text forms of the configuration enums.
#include "config/service_config.hpp"

namespace ff::config {

std::string to_string(SipTransport transport) {
    switch (transport) {
        case SipTransport::udp:
            return "UDP";
        case SipTransport::tcp:
            return "TCP";
        case SipTransport::tls:
            return "TLS";
    }
    return "UDP";
}

}  // namespace ff::config
