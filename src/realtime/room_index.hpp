// Which Socket.IO clients are in which room ("ext:1001", "all").
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ff::realtime {

class EngineSession;

inline constexpr std::string_view supervisors_room = "all";
inline constexpr std::string_view everyone_room = "*";  // every connected client: broadcasts to all
std::string extension_room(std::string_view extension);  // "ext:<extension>"

// Members are keyed by their engine session; one thread (the realtime strand) uses it. A room lists its
// members in the order they joined, and a broadcast reaches them in that order: the oldest connection first,
// as Node's Socket.IO does. Where one process holds many clients (a wallboard's tabs, a benchmark's client
// processes), its clients then get an event one after another and it can start on them before the server has
// written to the rest, instead of waiting for its last one somewhere in a hash order.
class RoomIndex {
  public:
    void join(const std::string& room, EngineSession* member);
    void leave_all(EngineSession* member);

    // Members of any of `rooms`, each once.
    std::vector<EngineSession*> members_of(const std::vector<std::string>& rooms) const;
    std::size_t size(const std::string& room) const;

  private:
    std::unordered_map<std::string, std::vector<EngineSession*>> members_;  // in the order they joined
    std::unordered_map<EngineSession*, std::vector<std::string>> rooms_of_;
};

}  // namespace ff::realtime
