// State of the lines (the service's registrations at the PBX) and of the operators' phones.
#pragma once

#include <string>
#include <vector>

namespace ff::calls {

struct LineState {
    std::string extension;
    std::string username;
    std::string display_name;
    bool registered = false;       // the line is registered at the PBX
    bool device_registered = false;  // the operator's phone is registered to the service
    std::string detail;            // last error or state, for the settings page
};

struct TelephonyStatus {
    bool connected = false;  // at least one line is registered at the PBX
    int registered_users = 0;
    std::vector<LineState> lines;
};

}  // namespace ff::calls
