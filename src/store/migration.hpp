// A schema migration step; each backend keeps its own numbered list in its own dialect.
#pragma once

#include <string_view>

namespace ff::store {

// Steps are applied in ascending `version`, each inside one transaction together with recording the
// new version, so a crash leaves the schema at a whole step. Versions start at 1 and never change
// once released: a later change is a new step.
struct Migration {
    int version;
    std::string_view name;  // what the step does, for messages
    std::string_view sql;   // one or more statements in the backend's dialect
};

}  // namespace ff::store
