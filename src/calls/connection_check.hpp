// The "Проверить подключение" diagnosis: what is tried (the form's values, before they are saved) and what
// each step found. Plain data: the SIP engine runs the steps, the API turns them into JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ff::calls {

struct CheckAccount {
    std::string extension;
    std::string username;
    std::string password;
};

struct ConnectionCheckRequest {
    std::string server;
    int port = 5060;
    std::string transport = "UDP";  // UDP, TCP or TLS, as the settings spell it
    std::vector<CheckAccount> accounts;
};

enum class StepStatus { ok, failed, skipped };

struct CheckStep {
    std::string step;   // "name", "transport" or "account"
    std::string title;  // for people, Russian
    StepStatus status = StepStatus::skipped;
    std::string outcome;  // stable code: resolved, not_resolved, answered, no_answer, accepted,
                          // wrong_password, unknown_user, refused, skipped
    std::string message;            // what was found and, when it failed, what to do (Russian)
    std::string address;            // name step: the address the server name resolved to
    std::optional<int> rtt_ms;      // transport step: round trip of the OPTIONS
    std::optional<int> sip_status;  // the PBX's answer, when it gave one
    std::string extension;          // account steps
    std::string username;
};

struct ConnectionReport {
    std::vector<CheckStep> steps;
    bool ok() const {
        for (const auto& step : steps)
            if (step.status != StepStatus::ok) return false;
        return !steps.empty();
    }
};

}  // namespace ff::calls
