// Rooms are kept both ways so leaving is cheap when a client goes.
#include "realtime/room_index.hpp"

namespace ff::realtime {

std::string extension_room(std::string_view extension) {
    std::string room = "ext:";
    room += extension;
    return room;
}

void RoomIndex::join(const std::string& room, EngineSession* member) {
    if (!members_[room].insert(member).second) return;
    rooms_of_[member].push_back(room);
}

void RoomIndex::leave_all(EngineSession* member) {
    const auto found = rooms_of_.find(member);
    if (found == rooms_of_.end()) return;
    for (const auto& room : found->second) {
        const auto room_members = members_.find(room);
        if (room_members == members_.end()) continue;
        room_members->second.erase(member);
        if (room_members->second.empty()) members_.erase(room_members);
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
