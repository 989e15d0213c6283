// Asio runs getaddrinfo on its own resolver thread: the HTTP threads and the SIP loop never wait for DNS.
#include "sip/diagnosis/server_lookup.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cctype>
#include <memory>

namespace ff::sip {
namespace {

struct PendingLookup {
    // One strand: the deadline and the answer never run at the same time on a many-threaded io_context.
    explicit PendingLookup(boost::asio::io_context& io)
        : strand(boost::asio::make_strand(io)), resolver(strand), timer(strand) {}
    boost::asio::strand<boost::asio::io_context::executor_type> strand;
    boost::asio::ip::udp::resolver resolver;
    boost::asio::steady_timer timer;
    bool answered = false;
    std::function<void(ServerLookup)> done;

    void answer(ServerLookup lookup) {
        if (answered) return;
        answered = true;
        timer.cancel();
        resolver.cancel();
        done(std::move(lookup));
    }
};

}  // namespace

bool is_reserved_invalid_name(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!lower.empty() && lower.back() == '.') lower.pop_back();
    constexpr std::string_view suffix = ".invalid";
    return lower == "invalid" || (lower.size() > suffix.size() &&
                                  lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0);
}

void look_up_server(boost::asio::io_context& io, const std::string& server,
                    std::chrono::milliseconds deadline, std::function<void(ServerLookup)> done) {
    boost::system::error_code parse_error;
    const auto literal = boost::asio::ip::make_address(server, parse_error);
    if (!parse_error) {
        ServerLookup lookup{ServerLookup::Outcome::literal, literal.to_string(), {}};
        boost::asio::post(io, [done = std::move(done), lookup] { done(lookup); });
        return;
    }
    if (is_reserved_invalid_name(server)) {
        ServerLookup lookup{
            ServerLookup::Outcome::not_found, {}, "the .invalid domain never resolves (RFC 6761)"};
        boost::asio::post(io, [done = std::move(done), lookup] { done(lookup); });
        return;
    }
    auto pending = std::make_shared<PendingLookup>(io);
    pending->done = std::move(done);
    pending->timer.expires_after(deadline);
    pending->timer.async_wait([pending](const boost::system::error_code& error) {
        if (!error) pending->answer({ServerLookup::Outcome::timed_out, {}, "no answer from DNS"});
    });
    pending->resolver.async_resolve(
        server, "",
        [pending](const boost::system::error_code& error,
                  const boost::asio::ip::udp::resolver::results_type& results) {
            if (error || results.empty()) {
                pending->answer(
                    {ServerLookup::Outcome::not_found, {}, error ? error.message() : "no address"});
                return;
            }
            // IPv4 first: the stack and most PBXs are reached over IPv4.
            auto chosen = results.begin();
            for (auto entry = results.begin(); entry != results.end(); ++entry) {
                if (entry->endpoint().address().is_v4()) {
                    chosen = entry;
                    break;
                }
            }
            pending->answer({ServerLookup::Outcome::resolved, chosen->endpoint().address().to_string(), {}});
        });
}

}  // namespace ff::sip
