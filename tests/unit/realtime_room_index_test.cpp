// Rooms list their members in the order they joined, each once, and forget a member that leaves.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "realtime/room_index.hpp"

using namespace ff::realtime;

namespace {

// Stand-ins for sessions: the index only keeps and compares their addresses.
EngineSession* member(int n) { return reinterpret_cast<EngineSession*>(static_cast<std::uintptr_t>(0x1000 * n)); }

}  // namespace

TEST(RoomIndex, members_come_in_the_order_they_joined) {
    RoomIndex index;
    // Addresses that a hash order would not keep in this order.
    for (int n : {7, 3, 9, 1, 5}) index.join("all", member(n));
    EXPECT_EQ(index.members_of({"all"}), (std::vector{member(7), member(3), member(9), member(1), member(5)}));
}

TEST(RoomIndex, a_member_that_leaves_is_gone_and_the_others_keep_their_order) {
    RoomIndex index;
    for (int n : {4, 2, 8}) {
        index.join(std::string(everyone_room), member(n));
        index.join(extension_room("100" + std::to_string(n)), member(n));
    }
    index.leave_all(member(2));
    EXPECT_EQ(index.members_of({std::string(everyone_room)}), (std::vector{member(4), member(8)}));
    EXPECT_TRUE(index.members_of({extension_room("1002")}).empty());
    EXPECT_EQ(index.size(extension_room("1002")), 0u);
}

TEST(RoomIndex, each_member_once_across_rooms_and_joins) {
    RoomIndex index;
    index.join("all", member(1));
    index.join("all", member(1));  // joining twice changes nothing
    index.join("ext:1001", member(1));
    index.join("ext:1001", member(2));
    EXPECT_EQ(index.size("all"), 1u);
    EXPECT_EQ(index.members_of({"all", "ext:1001"}), (std::vector{member(1), member(2)}));
}
