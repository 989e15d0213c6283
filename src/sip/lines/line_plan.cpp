// Diffing the running lines against the settings, keyed by extension.
#include "sip/lines/line_plan.hpp"

#include <algorithm>
#include <set>

namespace ff::sip {
namespace {

const LineConfig* find_line(const std::vector<LineConfig>& lines, const std::string& extension) {
    const auto found = std::find_if(lines.begin(), lines.end(),
                                    [&](const LineConfig& line) { return line.extension() == extension; });
    return found == lines.end() ? nullptr : &*found;
}

}  // namespace

std::vector<LineConfig> lines_from(const config::PbxSettings& pbx,
                                   const std::vector<config::SipUser>& users) {
    std::vector<LineConfig> lines;
    std::set<std::string> seen;
    for (const auto& user : users) {
        if (!seen.insert(user.extension).second) continue;
        lines.push_back(LineConfig{user, pbx.server, pbx.port, pbx.transport});
    }
    return lines;
}

bool needs_reregistration(const LineConfig& before, const LineConfig& after) {
    return before.user.username != after.user.username || before.user.password != after.user.password ||
           before.server != after.server || before.port != after.port || before.transport != after.transport;
}

LinePlan plan_lines(const std::vector<LineConfig>& running, const std::vector<LineConfig>& wanted) {
    LinePlan plan;
    for (const auto& line : running) {
        if (!find_line(wanted, line.extension())) plan.removed.push_back(line.extension());
    }
    for (const auto& line : wanted) {
        const LineConfig* before = find_line(running, line.extension());
        if (!before) {
            plan.added.push_back(line);
        } else if (needs_reregistration(*before, line)) {
            plan.reregistered.push_back(line);
        } else if (before->user.display_name != line.user.display_name) {
            plan.relabelled.push_back(line);
        }
    }
    return plan;
}

}  // namespace ff::sip
