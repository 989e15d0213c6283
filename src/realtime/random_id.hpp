// Unguessable identifiers for Engine.IO sessions and Socket.IO sockets.
#pragma once

#include <cstddef>
#include <string>

namespace ff::realtime {

// `bytes` random bytes from the OS as unpadded base64url (15 bytes -> 20 characters).
std::string random_id(std::size_t bytes = 15);

}  // namespace ff::realtime
