// The first step of the connection check: does the PBX's name resolve, and to which address.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace ff::sip {

struct ServerLookup {
    enum class Outcome { literal, resolved, not_found, timed_out };
    Outcome outcome = Outcome::not_found;
    std::string address;  // the first address found (or the literal itself)
    std::string error;    // the resolver's reason when nothing was found
};

// Resolves `server` without blocking `io` (the system resolver, as the stack's own lookups read
// /etc/hosts and DNS alike), giving up after `deadline`. IP addresses answer at once; names under the
// reserved ".invalid" top-level domain (RFC 6761) are refused at once without asking any DNS server.
// `done` runs once, on `io`.
void look_up_server(boost::asio::io_context& io, const std::string& server,
                    std::chrono::milliseconds deadline, std::function<void(ServerLookup)> done);

// True for "sip.example.invalid" and "invalid" (any case, a final dot allowed).
bool is_reserved_invalid_name(std::string_view name);

}  // namespace ff::sip
