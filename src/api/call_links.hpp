// Writing a link (customer, order, note) to a call of this instance: what a link request does here, and what
// this instance does when another one forwards a link to a call it has up.
#pragma once

#include <functional>
#include <string>

#include "calls/call_link.hpp"

namespace ff::api {

struct ApiServices;

// Written to the call log first (a call not in the log is not_found), then to the live call while it is up here
// (the registry announces call:updated); a call that is over is announced straight on the bus. `done` gets the
// call with the link, on the io_context. `allowed`, when given, is asked first with the call as the log has it
// (an error from it is the answer, nothing is written); a link forwarded by another instance was checked there.
using LinkCheck = std::function<calls::Status(const calls::Call& stored)>;
void apply_link(ApiServices& services, const std::string& call_id, calls::CallLink link, LinkCheck allowed,
                calls::CallLinkRouter::Completion done);

}  // namespace ff::api
