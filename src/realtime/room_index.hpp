// Which Socket.IO clients are in which room ("ext:1001", "all").
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ff::realtime {

class EngineSession;

inline constexpr std::string_view supervisors_room = "all";
std::string extension_room(std::string_view extension);  // "ext:<extension>"

// Members are keyed by their engine session; one thread (the realtime strand) uses it.
class RoomIndex {
  public:
    void join(const std::string& room, EngineSession* member);
    void leave_all(EngineSession* member);

    // Members of any of `rooms`, each once.
    std::vector<EngineSession*> members_of(const std::vector<std::string>& rooms) const;
    std::size_t size(const std::string& room) const;

  private:
    std::unordered_map<std::string, std::unordered_set<EngineSession*>> members_;
    std::unordered_map<EngineSession*, std::vector<std::string>> rooms_of_;
};

}  // namespace ff::realtime
