// Receives the keys callers press from rtpengine's DTMF log (--dtmf-log-dest): a UDP socket on a thread of
// its own, handing each well-formed report on.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "media/key_report.hpp"
#include "media/media_error.hpp"

namespace ff::media {

class KeyReceiver {
  public:
    using Handler = std::function<void(KeyReport)>;  // runs on the receiver's thread

    // Listens on host:port (port 0: a free port the system picks); the error says why it cannot.
    static MediaResult<std::unique_ptr<KeyReceiver>> start(const std::string& host, std::uint16_t port,
                                                           Handler handler);
    ~KeyReceiver();  // stops the thread; no handler runs after it returns
    KeyReceiver(const KeyReceiver&) = delete;
    KeyReceiver& operator=(const KeyReceiver&) = delete;

    // "host:port" as rtpengine's --dtmf-log-dest takes it.
    std::string address() const;

  private:
    class Impl;
    explicit KeyReceiver(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ff::media
