// A client of one rtpengine's ng control protocol: JSON dictionaries over UDP, answers matched by cookie,
// retransmission of the same datagram until an answer or the deadline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "media/media_error.hpp"
#include "media/ng_address.hpp"

namespace boost::asio {
class io_context;
}

namespace ff::media {

struct NgTiming {
    std::chrono::milliseconds retransmit_every{500};  // the same datagram (same cookie) again
    std::chrono::milliseconds give_up_after{3000};    // then the request fails with MediaErrorKind::timeout
};

// Runs on the io_context it is given: every call (construction and destruction included) on the thread
// that runs it, or while it does not run; completions run on that thread too. The caller owns the thread
// so that one media thread serves several rtpengines (and tests can run the context themselves).
class NgClient {
  public:
    // The answer dictionary of a request whose "result" was not "error".
    using Completion = std::function<void(MediaResult<nlohmann::json>)>;

    NgClient(boost::asio::io_context& io, NgAddress rtpengine, NgTiming timing = {});
    // Pending requests are dropped without their completions being called.
    ~NgClient();
    NgClient(const NgClient&) = delete;
    NgClient& operator=(const NgClient&) = delete;

    // Sends `dictionary` (an object with at least "command") under a fresh cookie.
    void request(const nlohmann::json& dictionary, Completion done);

    const NgAddress& address() const;
    std::size_t pending() const;

  private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace ff::media
