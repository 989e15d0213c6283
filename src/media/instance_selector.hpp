// Which rtpengine serves a call: a call stays on the instance that took its first offer; a new call goes to
// the living instance with the fewest calls. Pure logic, no I/O: the adapter reports timeouts and pings.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ff::media {

class InstanceSelector {
  public:
    explicit InstanceSelector(std::size_t instances);

    // The instance of a known call (alive or not: its media is there), or a new pin to the living instance
    // with the fewest calls (the lowest index on a tie); nullopt when the call is new and none is alive.
    std::optional<std::size_t> for_call(const std::string& call_id);
    // The instance of a known call only.
    std::optional<std::size_t> pinned(const std::string& call_id) const;
    void forget(const std::string& call_id);

    // A request timed out: no new calls go there until it answers again.
    void mark_dead(std::size_t instance);
    // It answered (a ping or any request).
    void mark_alive(std::size_t instance);
    bool alive(std::size_t instance) const;
    std::size_t calls_on(std::size_t instance) const;
    std::size_t size() const { return alive_.size(); }

  private:
    std::vector<bool> alive_;
    std::vector<std::size_t> calls_;
    std::map<std::string, std::size_t> pins_;
};

}  // namespace ff::media
