// What this instance knows of the other instances: their active calls and their lines, as Redis last said.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/telephony_status.hpp"

namespace ff::cluster {

// Thread-safe: the subscription thread writes, HTTP threads read.
class RemoteState {
  public:
    struct OwnedCall {
        std::string owner;
        calls::Call call;
    };

    // Everything Redis holds now (after a reconnection or a resync), other instances' entries only; the
    // state is available again.
    void replace(std::vector<OwnedCall> calls, std::map<std::string, std::vector<calls::LineState>> lines);
    // Redis is away: what it said can no longer be listed, though a call's owner is still known (so a call
    // button for it is answered "cannot reach" rather than "no such call").
    void set_available(bool available);

    // A call event of another instance: an ended call leaves the table, any other state replaces the entry.
    void apply_call(const std::string& owner, const calls::Call& call);
    void forget_call(const std::string& call_id);
    void set_line(const std::string& owner, const calls::LineState& line);
    void forget_instance(const std::string& owner);

    std::optional<OwnedCall> find(const std::string& call_id) const;           // even while unavailable
    std::vector<calls::Call> calls() const;                                    // none while unavailable
    std::vector<std::pair<std::string, calls::LineState>> lines() const;      // (owner, line); none while unavailable
    // An instance where the extension's phone is registered, if any (the first by id); with `accepted`, also
    // from what Redis said last while it is away.
    enum class Staleness { refused, accepted };
    std::optional<std::string> instance_with_phone(const std::string& extension,
                                                   Staleness staleness = Staleness::refused) const;
    std::uint64_t version() const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, OwnedCall> calls_;                                  // by call id
    std::map<std::string, std::map<std::string, calls::LineState>> lines_;  // by owner, then extension
    std::uint64_t version_ = 0;
    bool available_ = false;
};

}  // namespace ff::cluster
