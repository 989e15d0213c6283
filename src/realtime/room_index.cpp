// Rooms are kept both ways so leaving is cheap when a client goes.
#include "realtime/room_index.hpp"

#include <algorithm>
#include <unordered_set>

namespace ff::realtime {

std::string extension_room(std::string_view extension) {
    std::string room = "ext:";
    room += extension;
    return room;
}

void RoomIndex::join(const std::string& room, EngineSession* member) {
    auto& rooms = rooms_of_[member];
    if (std::find(rooms.begin(), rooms.end(), room) != rooms.end()) return;
    rooms.push_back(room);
    members_[room].push_back(member);
}

void RoomIndex::leave_all(EngineSession* member) {
    const auto found = rooms_of_.find(member);
    if (found == rooms_of_.end()) return;
    for (const auto& room : found->second) {
        const auto room_members = members_.find(room);
        if (room_members == members_.end()) continue;
        // A linear search: leaving is rare next to broadcasting, which a vector walks fastest.
        auto& members = room_members->second;
        if (const auto at = std::find(members.begin(), members.end(), member); at != members.end()) members.erase(at);
        if (members.empty()) members_.erase(room_members);
    }
    rooms_of_.erase(found);
}

std::vector<EngineSession*> RoomIndex::members_of(const std::vector<std::string>& rooms) const {
    std::vector<EngineSession*> result;
    std::unordered_set<EngineSession*> seen;
    for (const auto& room : rooms) {
        const auto found = members_.find(room);
        if (found == members_.end()) continue;
        result.reserve(result.size() + found->second.size());
        for (EngineSession* member : found->second) {
            // A client sits in one room today; the check keeps overlapping rooms from sending twice.
            if (rooms.size() == 1 || seen.insert(member).second) result.push_back(member);
        }
    }
    return result;
}

std::size_t RoomIndex::size(const std::string& room) const {
    const auto found = members_.find(room);
    return found == members_.end() ? 0 : found->second.size();
}

}  // namespace ff::realtime
