// The browser phone's signalling on the console's Socket.IO connection (README "Browser phone"): the page
// emits phone:attach / phone:sdp / phone:hangup / phone:detach with an acknowledgement; the service emits
// phone:incoming / phone:sdp / phone:ended / phone:lost to the one socket that is the device. Runs on the
// realtime strand; the SIP engine's answers and signals are posted back to it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/principal.hpp"
#include "calls/browser_phone.hpp"

namespace ff::realtime {

class EngineSession;

class PhoneSignalling {
  public:
    using Ack = std::function<void(nlohmann::json)>;

    // `phones` null: no engine carries browser phones here (every attach is refused, saying why).
    PhoneSignalling(boost::asio::any_io_executor executor, calls::BrowserPhones* phones);

    static bool is_phone_event(std::string_view name) { return name.substr(0, 6) == "phone:"; }

    // One phone:* event of an authenticated socket; `argument` is its first argument (null when none).
    void on_event(const std::shared_ptr<EngineSession>& session, const auth::Principal& principal,
                  std::string_view name, const nlohmann::json& argument, Ack ack);
    // The socket is gone: its device waits for a reloaded page (`keep_calls`), or goes at once.
    void on_gone(EngineSession* session, bool keep_calls);
    // A signal from the SIP engine, to the device's socket.
    void deliver(const calls::PhoneSignal& signal);

  private:
    void attach(const std::shared_ptr<EngineSession>& session, const auth::Principal& principal,
                const nlohmann::json& argument, Ack ack);

    boost::asio::any_io_executor executor_;
    calls::BrowserPhones* phones_;
    std::unordered_map<std::string, std::weak_ptr<EngineSession>> sessions_;  // device -> its socket
    std::unordered_map<EngineSession*, std::string> devices_;                 // socket -> its device
};

}  // namespace ff::realtime
